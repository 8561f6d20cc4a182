# SPDX-License-Identifier: GPL-2.0
# gnuplot -e "datafile='out/bench-flush.dat'; outfile='out/bench-flush.png'" plot.gp
set terminal pngcairo size 1100,650 noenhanced
set output outfile
set title "write-through copy bandwidth, one core (best of 3)"
set xlabel "block size (bytes)"
set ylabel "GB/s"
set logscale x 2
set format x "%.0b%BB"
set yrange [0:*]
set grid
set key outside right top
stats datafile skip 1 nooutput
ncols = STATS_columns
plot for [i=2:ncols] datafile using 1:(column(i) > 0 ? column(i) : 1/0) \
	with linespoints title columnheader(i)
