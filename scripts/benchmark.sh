#!/usr/bin/env bash
# Benchmarks, run on demand (not in CI): bash scripts/benchmark.sh NAME [ARGS...] runs
# run(*ARGS) of benchmarks/NAME.py (the checkout's top-level benchmarks/, not shipped with the app):
#   member_import [rows=100000] [baseline_rows=2000]
#   campaign_close [villages=300] [lines=5000] [items=20] [workers=2]  (starts its own long-queue workers)
#   settlement [coops=300] [lines=5000] [items=20]
#   credit [lines=5000] [loans=20000] [baseline_sample=1000]
#   reports [members=100000] [villages=300] [campaigns=20] [lines=500000]  (use a site of its own)
#   traceability [rows=50] [batches=5]  (a Delivery Note of batch-tracked rows vs untracked, rolled back)
# They run on their own site, AGRI_COOP_BENCHMARK_SITE (default agri-coop-benchmark.localhost),
# created with ERPNext, agri_coop and the demo county when missing.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
name="${1:?usage: scripts/benchmark.sh NAME [ARGS...]}"; shift
site="${AGRI_COOP_BENCHMARK_SITE:-agri-coop-benchmark.localhost}"
bench_exists || die "no bench at AGRI_COOP_BENCH=$AGRI_COOP_BENCH; run scripts/setup.sh first"
ensure_services
write_bench_redis_config
link_checkout_into_bench
ensure_site "$site" >"$AGRI_COOP_BENCH/logs/agri-coop-benchmark-site.log" 2>&1 || die "could not prepare $site"
# The demo county first; its check fails once benchmarks have added their own villages,
# members and campaigns to the site, so a failed check is reported and the run goes on.
bench_cmd --site "$site" agri-coop-demo >"$AGRI_COOP_BENCH/logs/agri-coop-benchmark-demo.log" 2>&1 \
	|| log "the demo check on $site reports benchmark data (see logs/agri-coop-benchmark-demo.log); going on"
cd "$AGRI_COOP_BENCH/sites"
"$AGRI_COOP_BENCH/env/bin/python" - "$AGRI_COOP_APP_DIR" "$site" "$name" "$@" <<'PY'
import importlib
import sys

import frappe

app_dir, site, name, *args = sys.argv[1:]
sys.path.insert(0, app_dir)  # the checkout, for its top-level benchmarks package
frappe.init(site=site, sites_path=".")
frappe.connect()
try:
    importlib.import_module(f"benchmarks.{name}").run(*args)
finally:
    frappe.destroy()
PY
