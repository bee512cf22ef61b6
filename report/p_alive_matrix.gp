# P(alive) matrix: columns recency, frequency, p_alive on a regular grid (see p_alive_matrix.sql); T_weeks is set
# by the SQL output's "# gp:" line.
set title sprintf("BG/NBD, a customer first seen T = %.1f weeks before the end of the data", T_weeks) font ",14"
set xlabel "Recency: weeks from the first to the last purchase"
set ylabel "Frequency: repeat purchase days"
set cblabel "P(alive)"
set cbrange [0:1]
set grid noxtics noytics
set tics out
set autoscale xfix
set autoscale yfix
set offsets 0, 0, 0, 0
plot datafile using 1:2:3 with image pixels
