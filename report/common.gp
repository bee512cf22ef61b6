# Settings shared by the report's charts (loaded before each chart's file). The caller defines `datafile`, the
# chart's SQL output: tab-separated, comment lines starting with '#'. The SVG goes to standard output.
set terminal svg size 800,520 font "DejaVu Sans,14" background rgb "white"
set datafile separator "\t"
set datafile commentschars "#"
set border 3 lw 1 lc rgb "#444444"
set tics nomirror textcolor rgb "#222222"
set grid lc rgb "#dddddd" lw 1
set key noautotitle
# A sequential blue scale for the heatmaps (light = low, dark = high).
set palette defined (0 "#f7fbff", 0.25 "#c6dbef", 0.5 "#6baed6", 0.75 "#2171b5", 1 "#08306b")
