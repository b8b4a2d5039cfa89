# Province outlines of one country from Natural Earth's admin-1 data (public domain) as a small GeoJSON.
#
# Usage: Rscript tools/make_province_map.R [ISO_A3] [OUT.geojson]      (defaults: IRN, stdout)
# Needs Debian's r-base-core and r-cran-rnaturalearthdata (which brings r-cran-sp). Reads the 1:10m
# admin-1 layer if the rnaturalearthhires package is installed, else rnaturalearthdata's 1:50m one.
# Coordinates are rounded to 0.01 degree (about 1 km) and repeated points dropped, which keeps a
# national map small. Exits with status 1, saying which countries the layer has, when it has none of
# the country asked for: Debian's rnaturalearthdata 0.1.0 has admin-1 polygons of Australia, Brazil,
# Canada and the United States only, so for Iran the console uses the tile map in resources/geo/.
suppressMessages(library(sp))

args <- commandArgs(trailingOnly = TRUE)
a3 <- if (length(args) >= 1) args[[1]] else "IRN"
out <- if (length(args) >= 2) args[[2]] else ""

e <- new.env()
if (requireNamespace("rnaturalearthhires", quietly = TRUE)) {
  data("states10", package = "rnaturalearthhires", envir = e)
  layer <- e$states10
  source_name <- "rnaturalearthhires::states10 (Natural Earth 1:10m admin-1)"
} else {
  data("states50", package = "rnaturalearthdata", envir = e)
  layer <- e$states50
  source_name <- "rnaturalearthdata::states50 (Natural Earth 1:50m admin-1)"
}
keep <- !is.na(layer@data$sr_adm0_a3) & layer@data$sr_adm0_a3 == a3
if (!any(keep)) {
  message(sprintf("%s has no admin-1 polygons of %s; it has: %s", source_name, a3,
                  paste(sort(unique(as.character(layer@data$admin))), collapse = ", ")))
  quit(status = 1)
}
chosen <- layer[keep, ]

ring_json <- function(coords) {
  coords <- round(coords, 2)
  same <- c(FALSE, rowSums(abs(diff(coords))) == 0)
  coords <- coords[!same, , drop = FALSE]
  if (nrow(coords) < 4) return(NULL)
  paste0("[", paste(sprintf("[%s,%s]", coords[, 1], coords[, 2]), collapse = ","), "]")
}

features <- character(0)
for (i in seq_along(chosen@polygons)) {
  polygons <- list()
  holes <- list()
  for (p in chosen@polygons[[i]]@Polygons) {
    ring <- ring_json(p@coords)
    if (is.null(ring)) next
    if (p@hole) holes[[length(holes) + 1]] <- ring else polygons[[length(polygons) + 1]] <- ring
  }
  # Holes go with the first outer ring: admin-1 holes (enclaves) are rare and small.
  parts <- vapply(seq_along(polygons), function(k) {
    rings <- if (k == 1) c(polygons[[k]], unlist(holes)) else polygons[[k]]
    paste0("[", paste(rings, collapse = ","), "]")
  }, character(1))
  code <- as.character(chosen@data$iso_3166_2[i])
  name <- gsub('"', "'", as.character(chosen@data$name[i]))
  features <- c(features, sprintf(
    '{"type":"Feature","properties":{"iso_3166_2":"%s","name":"%s"},"geometry":{"type":"MultiPolygon","coordinates":[%s]}}',
    code, name, paste(parts, collapse = ",")))
}
geojson <- sprintf('{"type":"FeatureCollection","source":"%s","features":[\n%s\n]}\n',
                   source_name, paste(features, collapse = ",\n"))
if (nzchar(out)) writeLines(geojson, out, sep = "") else cat(geojson)
message(sprintf("%d provinces of %s from %s", length(features), a3, source_name))
