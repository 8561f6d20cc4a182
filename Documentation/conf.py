# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration for fcpmem's documentation: make htmldocs builds it
# with Debian's python3-sphinx into build/htmldocs, warnings as errors.

project = "fcpmem"
copyright = "The fcpmem developers"
author = "The fcpmem developers"

# Plain reStructuredText: no extension beyond what Sphinx itself ships.
extensions = []

master_doc = "index"
source_suffix = {".rst": "restructuredtext"}

# bench/ holds data and charts the pages link to; ABI/ is in the kernel's
# ABI format, not reStructuredText; the man page is generated.
exclude_patterns = ["bench", "ABI", "fcpmemctl.8"]

html_theme = "alabaster"
html_static_path = []
