# SPDX-License-Identifier: GPL-2.0
# fcpmem against each other driver, one panel per kernel and measure:
# throughput (fcpmem / other) and typical latency (other's p50 / fcpmem's),
# each the median of per-round ratios. Above 1: fcpmem is faster.
# Called by tools/bench/report:
#   gnuplot -e "files='a.dat b.dat'; titles='k1 k1'; ncols='4 4'; kinds='tp p50'; outfile='r.png'" plot.gp
# Each .dat: a header "job vs_nd_pmem vs_brd ...", then one row per job;
# '-' where a driver has no result for that job.
n = words(files)
set terminal pngcairo size 1200,(330 * n + 40) noenhanced font ",10"
set output outfile
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set yrange [0:*]
set grid ytics
set xtics rotate by -30 scale 0
set key outside right top vertical
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lw 2 dt 2 lc rgb "black" front
set multiplot layout n,1
do for [i=1:n] {
	f = word(files, i)
	nc = int(word(ncols, i))
	if (word(kinds, i) eq "tp") {
		set title sprintf("%s: throughput, fcpmem / other (median of per-round ratios)", word(titles, i))
		set ylabel "fcpmem / other"
	} else {
		set title sprintf("%s: p50 completion latency, other / fcpmem (median of per-round ratios)", word(titles, i))
		set ylabel "other / fcpmem"
	}
	plot for [c=2:nc] f using c:xtic(1) title columnheader(c)
}
unset multiplot
