# NPS over time: columns month, nps, ci_low, ci_high, respondents (see nps_over_time.sql).
set xlabel "Month (answers)" offset 0, -0.8
set bmargin 5
set ylabel "Net Promoter Score"
set key bottom left box
set xrange [-0.5:*]
set offsets 0, 0.5, 5, 5
plot datafile using 0:3:4 with filledcurves fc rgb "#9ecae1" fs transparent solid 0.6 \
       title "95% confidence interval", \
     '' using 0:2:xtic(sprintf("%s\n(%d)", strcol(1), $5)) with linespoints lw 2 pt 7 ps 1.2 lc rgb "#08519c" title "NPS"
