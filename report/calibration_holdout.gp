# Calibration vs holdout: columns frequency_bin, customers, actual, predicted, label (see calibration_holdout.sql).
set xlabel "Repeat purchase days in the calibration period (customers)" offset 0, -0.8
set bmargin 5
set ylabel "Mean purchase days in the holdout period"
set key top left box
set xrange [-0.5:*]
set yrange [0:*]
set offsets 0, 0.5, 0, 0
plot datafile using 1:3:xtic(sprintf("%s\n(%d)", strcol(5), $2)) \
       with linespoints lw 2 pt 7 ps 1.2 lc rgb "#08519c" title "actual", \
     '' using 1:4 with linespoints lw 2 dt 2 pt 5 ps 1.2 lc rgb "#e6550d" title "predicted by BG/NBD"
