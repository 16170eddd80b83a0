#!/usr/bin/env bash
# The README's test command: every agri_coop test, with pytest, against a real site.
#   bash scripts/test.sh [pytest arguments]
# Uses the bench at $AGRI_COOP_BENCH (made by scripts/setup.sh) and the test site
# $AGRI_COOP_TEST_SITE, which it creates (ERPNext + agri_coop) when missing and otherwise
# migrates to this checkout.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bench_exists || die "no Frappe/ERPNext bench at AGRI_COOP_BENCH=$AGRI_COOP_BENCH.
Run 'bash scripts/setup.sh' to build one, or point AGRI_COOP_BENCH at an existing version-15 bench."
set_bench_user
ensure_services
write_bench_redis_config
link_checkout_into_bench

site_log="$AGRI_COOP_BENCH/logs/agri-coop-test-site.log"
if ! ensure_site "$AGRI_COOP_TEST_SITE" >"$site_log" 2>&1; then
	tail -n 40 "$site_log" >&2
	die "could not prepare the test site $AGRI_COOP_TEST_SITE (full log: $site_log)"
fi

"$AGRI_COOP_BENCH/env/bin/python" -c "import pytest" 2>/dev/null \
	|| "$AGRI_COOP_BENCH/env/bin/python" -m pip install -q pytest

cd "$AGRI_COOP_APP_DIR"
log "running pytest on site $AGRI_COOP_TEST_SITE"
# pytest finds agri_coop/tests through pyproject.toml; arguments narrow it down.
"$AGRI_COOP_BENCH/env/bin/python" -m pytest -ra "$@"
