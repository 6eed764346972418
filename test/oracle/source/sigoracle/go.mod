module pgolens/sigoracle

go 1.23
