# SPDX-License-Identifier: GPL-2.0
# Bar chart of fcpmem's median throughput over each other driver's, one
# panel per kernel. Called by tools/bench/report:
#   gnuplot -e "files='a.dat b.dat'; titles='k1 k2'; outfile='ratios.png'" plot.gp
# Each .dat: "# job fcpmem/nd_pmem fcpmem/brd fcpmem/rapiddisk", then one
# row per job; '-' where a driver has no result.
n = words(files)
set terminal pngcairo size 1200,(380 * n + 60) noenhanced font ",10"
set output outfile
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [0:*]
set ylabel "fcpmem / other (higher: fcpmem faster)"
set grid ytics
set xtics rotate by -30 scale 0
set key outside right top vertical
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lw 2 dt 2 lc rgb "black" front
set multiplot layout n,1
do for [i=1:n] {
	set title sprintf("%s: median ratio over rounds (TCG guest, same boot)", word(titles, i))
	plot word(files, i) using 2:xtic(1) title "vs nd_pmem (in-tree)" lc rgb "#1f77b4", \
		'' using 3 title "vs brd" lc rgb "#ff7f0e", \
		'' using 4 title "vs rapiddisk" lc rgb "#2ca02c"
}
unset multiplot
