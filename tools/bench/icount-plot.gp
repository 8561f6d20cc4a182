# SPDX-License-Identifier: GPL-2.0
# make bench-icount: nd_pmem's instructions per I/O over each driver's
# under QEMU -icount (fio's mean latency in guest ns), one panel per
# kernel. Above 1: fewer instructions per I/O than nd_pmem. Called by
# tools/bench/icount-report:
#   gnuplot -e "files='a.dat'; titles='k1'; ncols='4'; outfile='r.png'" icount-plot.gp
# Each .dat: a header "job drv1 drv2 ...", then one row per job; '-' where
# a driver has no result for that job.
n = words(files)
set terminal pngcairo size 1300,(360 * n + 40) noenhanced font ",10"
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
	set title sprintf("%s under QEMU -icount: nd_pmem's instructions per I/O / the driver's (above 1: fewer than nd_pmem)", word(titles, i))
	set ylabel "nd_pmem / driver"
	plot for [c=2:nc] f using c:xtic(1) title columnheader(c)
}
unset multiplot
