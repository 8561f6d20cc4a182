// SPDX-License-Identifier: GPL-2.0
/*
 * fcpmem fault injection, after null_blk's: a fault attribute of our own,
 * set from a module parameter in the kernel's "interval,probability,space,
 * times" form. Each fallible call of the load path asks fcpmem_fault()
 * first and, told to fail, is not made: its error is returned as the real
 * call would return it, so no error path meets a half-done allocation it
 * does not expect. fail_load=N,100,0,1 fails the N-th call and no other;
 * the attribute is fresh on every insmod, so N counts from the load.
 *
 * The attribute also answers the task's /proc/thread-self/fail-nth, like
 * failslab and fail_page_alloc do: a fail-nth sweep over insmod reaches
 * these sites along with every real allocation.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fault-inject.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

#include "fault.h"

static DECLARE_FAULT_ATTR(fcpmem_fault_attr);
static bool fcpmem_fault_armed;		/* fail_load= was given */
static unsigned int fcpmem_fault_calls;	/* sites reached in this load */
static unsigned int fcpmem_fault_failed; /* of those, failed */
static phys_addr_t fcpmem_fault_start;	/* region being set up, for the log */
static u64 fcpmem_fault_size;

static int fcpmem_fault_set(const char *val, const struct kernel_param *kp)
{
	char buf[64];

	if (strscpy(buf, val, sizeof(buf)) < 0 ||
	    !setup_fault_attr(&fcpmem_fault_attr, strim(buf))) {
		pr_err("fail_load=: '%s' is not interval,probability,space,times (e.g. 3,100,0,1 fails the third fallible call)\n",
		       val);
		return -EINVAL;
	}
	/*
	 * The default, 2, dumps the stack of every injected failure: a
	 * "Call Trace" that the test runner rightly takes for a kernel bug.
	 * fcpmem_fault() logs one line of its own instead.
	 */
	fcpmem_fault_attr.verbose = 0;
	fcpmem_fault_armed = true;
	return 0;
}

static const struct kernel_param_ops fcpmem_fault_ops = {
	.set = fcpmem_fault_set,
};
module_param_cb(fail_load, &fcpmem_fault_ops, NULL, 0);
MODULE_PARM_DESC(fail_load,
		 "Fault injection (kernels with CONFIG_FAULT_INJECTION only): interval,probability,space,times for the fallible calls of the load path; 3,100,0,1 fails the third (default: none)");

/**
 * fcpmem_fault_region() - name the region the next calls set up
 * @start: physical start of the region
 * @size: its size in bytes
 */
void fcpmem_fault_region(phys_addr_t start, u64 size)
{
	fcpmem_fault_start = start;
	fcpmem_fault_size = size;
}

/**
 * fcpmem_fault() - whether to fail a fallible call of the load path
 * @site: the call, as named in the log (e.g. "alloc_percpu")
 *
 * Call it in place of the call: when it returns true, make up the error
 * the call would have returned. Every call counts, so "call N" in the log
 * is what fail_load=N,100,0,1 fails.
 *
 * Return: true to fail the call.
 */
bool fcpmem_fault(const char *site)
{
	fcpmem_fault_calls++;
	if (!should_fail(&fcpmem_fault_attr, 1))
		return false;
	fcpmem_fault_failed++;
	if (!fcpmem_fault_size)		/* parsing parameters */
		pr_info("fault injection: failing %s (call %u) before any region\n",
			site, fcpmem_fault_calls);
	else
		pr_info("fault injection: failing %s (call %u) on region [mem %#llx-%#llx]\n",
			site, fcpmem_fault_calls, (u64)fcpmem_fault_start,
			(u64)(fcpmem_fault_start + fcpmem_fault_size - 1));
	return true;
}

/**
 * fcpmem_fault_loaded() - log the count of a load that succeeded
 *
 * With fail_load= set, a load that made fewer fallible calls than N never
 * failed one: the test learns that it has been through them all.
 */
void fcpmem_fault_loaded(void)
{
	if (!fcpmem_fault_armed)
		return;
	if (fcpmem_fault_failed)
		pr_info("fault injection: %u calls, %u failed and the load went on without them\n",
			fcpmem_fault_calls, fcpmem_fault_failed);
	else
		pr_info("fault injection: %u calls, none failed\n",
			fcpmem_fault_calls);
}
