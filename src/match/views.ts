/**
 * The plain data of the editor's per-file view and of the binary lists: what `file-view.ts` and
 * `binary-lists.ts` build and the worker's protocol carries (re-exported there). Lines are
 * 0-based physical lines.
 */
/** Heat of one source line, for the gutter. Lines are 0-based physical lines. */
export interface LineHeat {
  line: number;
  flat: number;
  cum: number;
  /** Of the profile total (`FileView.total`). */
  flatPercent: number;
  cumPercent: number;
  /** 0–4: the line's rank among the profile's lines with samples (src/pgo/heatscale.ts), per metric. */
  flatLevel: number;
  cumLevel: number;
}

export interface SiteCallee {
  callee: string;
  weight: number;
  /** Of the profile total. */
  percent: number;
}

/** A function's `go tool pprof -top` numbers at its declaration (summed over its instantiations and closure copies when it has several profile names). */
export interface FunctionMark {
  /** 0-based line of the declaration (`func`). */
  line: number;
  symbol: string;
  /** Profile names summed (1 for most functions). */
  names: number;
  flat: number;
  cum: number;
  flatPercent: number;
  cumPercent: number;
}

/** A CodeLens: only where the compiler decides something. */
export interface LensInfo {
  line: number;
  character: number;
  kind: 'inline' | 'devirt';
  caller: string;
  callee: string;
  weight: number;
  /** Share of the profile total. */
  percent: number;
  /** For devirtualization: the target's share of the weight at this call site. */
  sitePercent?: number;
  /**
   * Inline lenses: 'hot-budget' — PGO inlines the callee only thanks to the hot budget;
   * 'possible' — it may, the source cannot decide (`why`). Hot sites where PGO decides nothing
   * get no lens (they keep their heat; `BinaryDetails.hotCallSites` lists them all).
   */
  pgo?: 'hot-budget' | 'possible';
  /** Devirtualization lenses: false when the prediction is only possible (`why` says which rule is undecided). */
  certain?: boolean;
  /** Which rule decided (inline) or which one is undecided (possible predictions). */
  why?: string;
  /** What the compiler said about this prediction in the last confirming build (absent: none, or the file was edited since). */
  confirmation?: Confirmation;
}

/** The compiler's verdict on one prediction. */
export interface Confirmation {
  /** confirmed: as predicted; explained: the compiler decided otherwise for a known reason; contradicted: a prediction bug. */
  state: 'confirmed' | 'explained' | 'contradicted';
  /** src/compiler/agreement.ts category (hot-budget, caller-too-big, callee-too-costly, …). */
  category: string;
  text: string;
  /** The callee's inline cost when the compiler printed it. */
  cost?: number;
}

/** Everything a hover on a line shows. */
export interface LineDetail {
  line: number;
  /** The profile key: function symbol and line offset. */
  symbol: string;
  offset: number;
  flat: number;
  cum: number;
  flatPercent: number;
  cumPercent: number;
  /** Profile edges leaving this line, hottest first. */
  callees: SiteCallee[];
  /** The compiler treats every call on this line as hot (inline budget 2000). */
  hotSite: boolean;
  devirtualized?: SiteCallee;
  /** The compiler's decisions on this line in the last confirming build. */
  compiler?: string[];
}

export interface FileView {
  file: string;
  /** The binary whose profile was used (null: no profile applies to this file). */
  binary: string | null;
  /** All binaries this file is built into that have a profile. */
  binaries: string[];
  profile: string | null;
  /** The percentage base (sum of the sample type's values) and its type, e.g. `samples/count`. */
  total: number;
  sampleType: string | null;
  /** Lines of the whole profile with a non-zero flat / cum: what the heat levels rank against. */
  heatLines: { flat: number; cum: number };
  heat: LineHeat[];
  /** Per-function flat/cum at each declaration of this file. */
  functions: FunctionMark[];
  lenses: LensInfo[];
  lines: LineDetail[];
}

export interface HotFunction {
  symbol: string;
  /** Absolute path of its declaration (workspace index, else the profile's file if it exists here). */
  file: string | null;
  /** 0-based physical line of the declaration. */
  line: number | null;
  flat: number;
  cum: number;
  flatPercent: number;
  cumPercent: number;
}

export interface HotSiteInfo {
  /** Absolute path. */
  file: string;
  /** 0-based physical line of the call. */
  line: number;
  caller: string;
  callee: string;
  weight: number;
  percent: number;
  /**
   * Hot call sites: what PGO decides there (src/match/hot-sites.ts): 'hot-budget' (inlined only
   * thanks to the hot budget), 'possible', or 'none' (heat only), and why. Devirtualizations:
   * 'hot-budget' when certain, 'possible' otherwise.
   */
  pgo?: 'hot-budget' | 'possible' | 'none';
  why?: string;
}
