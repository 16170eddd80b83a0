#!/usr/bin/env bash
# The README's setup command: MariaDB + Redis, a Frappe/ERPNext version-15 bench, a site
# with ERPNext and agri_coop, the demo county, and the desk, started.
#   bash scripts/setup.sh
# Environment (all optional):
#   AGRI_COOP_BENCH          bench directory (default ~/agri-coop-bench); reused when it exists
#   AGRI_COOP_FRAPPE_PATH    local Frappe v15 git checkout instead of upstream
#   AGRI_COOP_ERPNEXT_PATH   local ERPNext v15 git checkout instead of upstream
#   AGRI_COOP_SITE           site name (default agri-coop.localhost)
#   AGRI_COOP_PORT           desk port (default 8000)
#   AGRI_COOP_START_DESK     0: set everything up but do not start the desk
#   AGRI_COOP_DB_ROOT_PASSWORD, AGRI_COOP_ADMIN_PASSWORD
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
started=$(date +%s)

ensure_services
if ! command -v wkhtmltopdf >/dev/null && command -v apt-get >/dev/null; then
	log "installing wkhtmltopdf (PDF of print formats such as 统购结算单)"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wkhtmltopdf >/dev/null \
		|| log "wkhtmltopdf could not be installed; printing to PDF will not work"
fi

ensure_bench
write_bench_redis_config
link_checkout_into_bench
ensure_site "$AGRI_COOP_SITE"
bench_cmd use "$AGRI_COOP_SITE" >/dev/null
if ! getent hosts "$AGRI_COOP_SITE" >/dev/null 2>&1; then
	# The site name does not resolve here: links, and the PDF renderer fetching the site's
	# assets, use the loopback address instead.
	bench_cmd --site "$AGRI_COOP_SITE" set-config host_name "http://127.0.0.1:$AGRI_COOP_PORT" >/dev/null
fi

log "loading the demo county (a few minutes on a new site)"
# The command checks the county it loaded and exits non-zero when anything is missing: then
# stop here, with its reasons, and print no logins over a broken county. A re-run resumes.
demo_log="$AGRI_COOP_BENCH/logs/agri-coop-demo.log"
if ! bench_cmd --site "$AGRI_COOP_SITE" agri-coop-demo >"$demo_log" 2>&1; then
	tail -n 30 "$demo_log" >&2
	die "loading the demo county failed (full log: $demo_log); run this command again to finish it"
fi
demo_output=$(grep -E "^(County|  )" "$demo_log")

if [ -d "$AGRI_COOP_BENCH/apps/frappe/node_modules" ]; then
	log "building agri_coop's desk assets"
	bench_cmd build --app agri_coop >/dev/null || log "asset build failed; the desk still runs with Frappe's assets"
fi

# The desk's processes (web server, worker, realtime) started by an earlier run are
# restarted, so the desk always runs the code and migrations of this run.
desk_pids="$AGRI_COOP_BENCH/logs/agri-coop-desk.pids"
stop_desk() {
	[ -f "$desk_pids" ] || return 0
	local pid
	while read -r pid; do
		kill "$pid" 2>/dev/null || true
	done <"$desk_pids"
	rm -f "$desk_pids"
	for _ in $(seq 1 20); do (exec 3<>"/dev/tcp/127.0.0.1/$AGRI_COOP_PORT") 2>/dev/null || break; sleep 0.5; done
}

start_desk() {
	local logs="$AGRI_COOP_BENCH/logs"
	stop_desk
	if (exec 3<>"/dev/tcp/127.0.0.1/$AGRI_COOP_PORT") 2>/dev/null; then
		die "port $AGRI_COOP_PORT is taken by a process this setup did not start; stop it or set AGRI_COOP_PORT"
	fi
	log "starting the desk on port $AGRI_COOP_PORT (logs in $logs)"
	cd "$AGRI_COOP_BENCH"
	# Frappe's own server bound to the site, so http://127.0.0.1:PORT serves it too.
	nohup bench --site "$AGRI_COOP_SITE" serve --port "$AGRI_COOP_PORT" --noreload >"$logs/agri-coop-web.log" 2>&1 &
	echo $! >"$desk_pids"
	nohup bench worker >"$logs/agri-coop-worker.log" 2>&1 &
	echo $! >>"$desk_pids"
	if [ -d "$AGRI_COOP_BENCH/apps/frappe/node_modules/socket.io" ]; then
		nohup node apps/frappe/socketio.js >"$logs/agri-coop-socketio.log" 2>&1 &
		echo $! >>"$desk_pids"
	fi
	cd - >/dev/null
	for _ in $(seq 1 60); do (exec 3<>"/dev/tcp/127.0.0.1/$AGRI_COOP_PORT") 2>/dev/null && break; sleep 1; done
	(exec 3<>"/dev/tcp/127.0.0.1/$AGRI_COOP_PORT") 2>/dev/null || die "the desk did not start (see $logs/agri-coop-web.log)"
}
if [ "${AGRI_COOP_START_DESK:-1}" = 1 ]; then
	start_desk
fi

cat <<MSG

agri_coop is ready ($(( $(date +%s) - started )) s).
  Desk:  http://$AGRI_COOP_SITE:$AGRI_COOP_PORT/app   (or http://127.0.0.1:$AGRI_COOP_PORT/app)
  Logins (user / role / password):
$demo_output
MSG
