// Placeholder entry; wiring arrives with the editor issue.
export function activate(): void {}
export function deactivate(): void {}
