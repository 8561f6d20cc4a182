/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fcpmem fault injection: make the fallible calls of the load path fail, one
 * at a time, so each error path runs (selftests/fcpmem/fault_inject.sh). Only
 * on a kernel built with CONFIG_FAULT_INJECTION; elsewhere the calls below
 * are empty and compile away, and the fail_load= parameter does not exist.
 */
#ifndef FCPMEM_FAULT_H
#define FCPMEM_FAULT_H

#include <linux/types.h>

#ifdef CONFIG_FAULT_INJECTION

bool fcpmem_fault(const char *site);
void fcpmem_fault_region(phys_addr_t start, u64 size);
void fcpmem_fault_loaded(void);

#else

static inline bool fcpmem_fault(const char *site)
{
	return false;
}

static inline void fcpmem_fault_region(phys_addr_t start, u64 size)
{
}

static inline void fcpmem_fault_loaded(void)
{
}

#endif /* CONFIG_FAULT_INJECTION */

#endif /* FCPMEM_FAULT_H */
