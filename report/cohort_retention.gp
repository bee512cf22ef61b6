# Cohort retention heatmap: columns cohort_row, month, rate, cohort label (see cohort_retention.sql).
stats datafile using 1:2 nooutput
cohorts = int(STATS_max_x) + 1
months = int(STATS_max_y)
stats datafile using ($3 * 100) nooutput
top = STATS_max
label_color(pct) = pct > 0.55 * top ? 0xffffff : 0x222222
set xrange [0.5:months + 0.5]
set yrange [cohorts - 0.5:-0.5]
set xtics 1 out
set ytics out
set grid noxtics noytics
set xlabel "Months after the month of the first purchase"
set ylabel "Cohort: first purchase month (buyers)"
set cblabel "Bought again in that month (% of the cohort)"
set cbrange [0:top]
plot datafile using 2:1:(0.5):(0.5):($3 * 100):ytic(4) with boxxyerror fc palette fs solid 1.0 noborder, \
     '' using 2:1:(sprintf("%.0f", $3 * 100)):(label_color($3 * 100)) with labels tc rgb variable font ",11"
