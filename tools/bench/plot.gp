# SPDX-License-Identifier: GPL-2.0
# Bar chart of fcpmem's median throughput over each other driver's, one
# panel per kernel. Called by tools/bench/report:
#   gnuplot -e "files='a.dat b.dat'; titles='k1 k2'; ncols='4 3'; outfile='r.png'" plot.gp
# Each .dat: a header "job vs_nd_pmem vs_brd ...", then one row per job;
# '-' where a driver has no result (it still gets its legend entry).
n = words(files)
set terminal pngcairo size 1200,(400 * n + 40) noenhanced font ",10"
set output outfile
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [0:*]
set ylabel "fcpmem / other (>1: fcpmem faster)"
set grid ytics
set xtics rotate by -30 scale 0
set key outside right top vertical
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lw 2 dt 2 lc rgb "black" front
set multiplot layout n,1
do for [i=1:n] {
	f = word(files, i)
	nc = int(word(ncols, i))
	set title sprintf("%s: fcpmem's median throughput over each driver's (TCG guest, one boot)", word(titles, i))
	plot for [c=2:nc] f using c:xtic(1) title columnheader(c)
}
unset multiplot
