# CLV by RFM segment: columns segment, customers, mean_clv, total_clv (see clv_by_segment.sql), sorted.
set ylabel "Mean expected value of the next year per customer"
set xlabel "RFM segment (number above a bar: its customers)"
set style fill solid 0.85 border rgb "#08306b"
set boxwidth 0.7
set xtics rotate by -30 left nomirror out
set grid noxtics
set xrange [-0.6:*]
set yrange [0:*]
set offsets 0, 0.6, graph 0.08, 0
set bmargin 7
set rmargin 6
plot datafile using 0:3:xtic(1) with boxes lc rgb "#4292c6", \
     '' using 0:3:(sprintf("%d", $2)) with labels offset 0, 0.7 font ",12"
