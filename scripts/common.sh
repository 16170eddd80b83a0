#!/usr/bin/env bash
# Shared settings and helpers for the README's commands (setup.sh, test.sh) and .ci/run.
# Every path and password can be overridden from the environment.
set -euo pipefail

AGRI_COOP_APP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
AGRI_COOP_BENCH="${AGRI_COOP_BENCH:-$HOME/agri-coop-bench}"
AGRI_COOP_SITE="${AGRI_COOP_SITE:-agri-coop.localhost}"
AGRI_COOP_TEST_SITE="${AGRI_COOP_TEST_SITE:-agri-coop-test.localhost}"
AGRI_COOP_DB_HOST="${AGRI_COOP_DB_HOST:-127.0.0.1}"
AGRI_COOP_DB_ROOT_PASSWORD="${AGRI_COOP_DB_ROOT_PASSWORD:-agri_coop_root}"
AGRI_COOP_ADMIN_PASSWORD="${AGRI_COOP_ADMIN_PASSWORD:-admin}"
AGRI_COOP_PORT="${AGRI_COOP_PORT:-8000}"
AGRI_COOP_REDIS_CACHE_PORT="${AGRI_COOP_REDIS_CACHE_PORT:-13000}"
AGRI_COOP_REDIS_QUEUE_PORT="${AGRI_COOP_REDIS_QUEUE_PORT:-11000}"
export AGRI_COOP_BENCH AGRI_COOP_SITE AGRI_COOP_TEST_SITE

log() { printf '\033[1m[agri_coop]\033[0m %s\n' "$*" >&2; }
die() { printf '[agri_coop] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi; }

# --- MariaDB ---------------------------------------------------------------
MARIADB_CNF=/etc/mysql/mariadb.conf.d/99-agri-coop.cnf

mariadb_root() { mariadb -h "$AGRI_COOP_DB_HOST" -uroot -p"$AGRI_COOP_DB_ROOT_PASSWORD" "$@"; }

ensure_mariadb() {
	if ! command -v mariadbd >/dev/null 2>&1 && ! command -v mysqld >/dev/null 2>&1; then
		command -v apt-get >/dev/null || die "MariaDB >= 10.6 is not installed; install it with your package manager"
		log "installing MariaDB from the distribution's packages"
		as_root apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server mariadb-client >/dev/null
	fi
	# Frappe refuses a server whose defaults are not utf8mb4 / utf8mb4_unicode_ci.
	if [ -d /etc/mysql/mariadb.conf.d ] && [ ! -f "$MARIADB_CNF" ]; then
		log "writing $MARIADB_CNF (utf8mb4 / utf8mb4_unicode_ci, as Frappe requires)"
		as_root tee "$MARIADB_CNF" >/dev/null <<'CNF'
[mysqld]
character-set-client-handshake = FALSE
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
innodb_buffer_pool_size = 1G
innodb_flush_log_at_trx_commit = 2

[mysql]
default-character-set = utf8mb4
CNF
		mariadb_stop_if_running
	fi
	if ! mariadb-admin ping -h "$AGRI_COOP_DB_HOST" --silent >/dev/null 2>&1; then
		log "starting MariaDB"
		as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
		(as_root mysqld_safe >/dev/null 2>&1 &)
		for _ in $(seq 1 60); do mariadb-admin ping -h "$AGRI_COOP_DB_HOST" --silent >/dev/null 2>&1 && break; sleep 1; done
		mariadb-admin ping -h "$AGRI_COOP_DB_HOST" --silent >/dev/null 2>&1 || die "MariaDB did not start (see /var/log/mysql or journalctl)"
	fi
	if ! mariadb_root -e 'select 1' >/dev/null 2>&1; then
		# A fresh Debian MariaDB lets the system root in through the socket only: give the
		# database root the password Frappe will use over TCP.
		if as_root mariadb -uroot -e 'select 1' >/dev/null 2>&1; then
			log "setting the MariaDB root password (AGRI_COOP_DB_ROOT_PASSWORD)"
			as_root mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('${AGRI_COOP_DB_ROOT_PASSWORD}'); FLUSH PRIVILEGES;"
		else
			die "cannot log in to MariaDB as root; set AGRI_COOP_DB_ROOT_PASSWORD to its root password"
		fi
	fi
	local collation
	collation=$(mariadb_root -N -e 'select @@collation_server' 2>/dev/null)
	if [ "$collation" != "utf8mb4_unicode_ci" ]; then
		die "MariaDB's collation-server is '$collation'. Frappe needs:
  [mysqld]
  character-set-server = utf8mb4
  collation-server = utf8mb4_unicode_ci
in the server's configuration (e.g. $MARIADB_CNF), then restart MariaDB."
	fi
}

mariadb_stop_if_running() {
	if mariadb-admin ping -h "$AGRI_COOP_DB_HOST" --silent >/dev/null 2>&1; then
		log "restarting MariaDB to apply the character set"
		as_root mariadb-admin -uroot shutdown 2>/dev/null || mariadb_root -e 'shutdown' || true
		sleep 2
	fi
}

# --- Redis -----------------------------------------------------------------
ensure_redis() {
	if ! command -v redis-server >/dev/null 2>&1; then
		command -v apt-get >/dev/null || die "Redis is not installed; install it with your package manager"
		log "installing Redis from the distribution's packages"
		as_root apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
	fi
	local port
	for port in "$AGRI_COOP_REDIS_CACHE_PORT" "$AGRI_COOP_REDIS_QUEUE_PORT"; do
		if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
			log "starting Redis on 127.0.0.1:$port"
			redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no >/dev/null
			for _ in $(seq 1 20); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.5; done
		fi
	done
}

ensure_services() { ensure_mariadb; ensure_redis; }

# --- bench -----------------------------------------------------------------
bench_has_frappe() { [ -x "$AGRI_COOP_BENCH/env/bin/python" ] && "$AGRI_COOP_BENCH/env/bin/python" -c 'import frappe' >/dev/null 2>&1; }
bench_has_erpnext() { bench_has_frappe && [ -d "$AGRI_COOP_BENCH/apps/erpnext" ] && "$AGRI_COOP_BENCH/env/bin/python" -c 'import erpnext' >/dev/null 2>&1; }
bench_exists() { bench_has_erpnext; }

bench_cmd() { (cd "$AGRI_COOP_BENCH" && bench "$@"); }

# bench refuses to run as root unless the bench names the user it runs as (`frappe_user`,
# bench's own setting, the one `bench setup production` writes). Running as root, the
# bench is root's: write frappe_user=root before `bench init` reads the config.
set_bench_user() {
	[ "$(id -u)" = 0 ] || return 0
	mkdir -p "$AGRI_COOP_BENCH/sites"
	python3 - "$AGRI_COOP_BENCH/sites/common_site_config.json" <<'PY'
import json, os, sys
path = sys.argv[1]
conf = json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) else {}
if conf.get("frappe_user") != "root":
    conf["frappe_user"] = "root"
    json.dump(conf, open(path, "w"), indent=1, sort_keys=True)
PY
}

ensure_bench_tools() {
	local missing=()
	command -v git >/dev/null || missing+=(git)
	command -v pkg-config >/dev/null || missing+=(pkg-config)
	command -v cron >/dev/null || missing+=(cron)
	python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
	if [ ${#missing[@]} -gt 0 ]; then
		command -v apt-get >/dev/null || die "missing: ${missing[*]}; install them with your package manager"
		log "installing ${missing[*]}"
		as_root apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
	fi
	if ! command -v node >/dev/null && command -v apt-get >/dev/null; then
		log "installing Node.js and npm from the distribution's packages (bench builds Frappe's assets with them)"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
	fi
	command -v node >/dev/null || die "Node.js >= 18 is needed (bench builds Frappe's assets with it)"
	command -v yarn >/dev/null || { log "installing yarn"; as_root npm install -g -s yarn >/dev/null; }
	if ! command -v bench >/dev/null; then
		log "installing the bench CLI (frappe-bench from PyPI)"
		python3 -m pip install -q frappe-bench 2>/dev/null || python3 -m pip install -q --user frappe-bench
		export PATH="$HOME/.local/bin:$PATH"
		hash -r
	fi
	command -v bench >/dev/null || die "the bench CLI did not install (python3 -m pip install frappe-bench)"
}

# Build or complete the bench: each step checks what is there and does only what is missing,
# so a run that stopped half way (no ERPNext yet, requirements not installed) is finished.
ensure_bench() {
	set_bench_user
	bench_exists && return 0
	ensure_bench_tools
	if [ ! -d "$AGRI_COOP_BENCH/apps/frappe" ]; then
		log "creating a Frappe version-15 bench at $AGRI_COOP_BENCH (about 10 minutes)"
		local frappe_source=()
		[ -n "${AGRI_COOP_FRAPPE_PATH:-}" ] && frappe_source=(--frappe-path "$AGRI_COOP_FRAPPE_PATH")
		(cd "$AGRI_COOP_BENCH" && bench init --ignore-exist --frappe-branch version-15 "${frappe_source[@]}" \
			--skip-redis-config-generation --no-backups "$AGRI_COOP_BENCH") \
			|| die "bench init failed (see above); the next run continues from what was made"
	fi
	if ! bench_has_frappe; then
		log "installing Frappe's requirements into the bench"
		bench_cmd setup requirements || die "bench setup requirements failed (see above)"
	fi
	if [ ! -d "$AGRI_COOP_BENCH/apps/erpnext" ]; then
		log "getting ERPNext version-15"
		bench_cmd get-app --branch version-15 "${AGRI_COOP_ERPNEXT_PATH:-https://github.com/frappe/erpnext}" \
			|| die "bench get-app erpnext failed (see above); the next run continues from what was made"
	fi
	if ! bench_has_erpnext; then
		log "installing ERPNext's requirements into the bench"
		"$AGRI_COOP_BENCH/env/bin/python" -m pip install -q -e "$AGRI_COOP_BENCH/apps/erpnext" || die "pip install of ERPNext failed"
		grep -qx erpnext "$AGRI_COOP_BENCH/sites/apps.txt" || printf '\nerpnext\n' >>"$AGRI_COOP_BENCH/sites/apps.txt"
	fi
	bench_exists || die "the bench at $AGRI_COOP_BENCH is incomplete (Frappe or ERPNext does not import)"
}

write_bench_redis_config() {
	# Point the bench at the Redis instances this script runs.
	"$AGRI_COOP_BENCH/env/bin/python" - "$AGRI_COOP_BENCH/sites/common_site_config.json" \
		"$AGRI_COOP_DB_HOST" "$AGRI_COOP_REDIS_CACHE_PORT" "$AGRI_COOP_REDIS_QUEUE_PORT" <<'PY'
import json, os, sys
path, db_host, cache_port, queue_port = sys.argv[1:]
conf = json.load(open(path)) if os.path.exists(path) else {}
conf.update({
    "db_host": db_host,
    "redis_cache": f"redis://127.0.0.1:{cache_port}",
    "redis_queue": f"redis://127.0.0.1:{queue_port}",
    "redis_socketio": f"redis://127.0.0.1:{queue_port}",
})
json.dump(conf, open(path, "w"), indent=1, sort_keys=True)
PY
}

# Install this checkout (not a stale copy) as the bench's agri_coop app.
link_checkout_into_bench() {
	local target="$AGRI_COOP_BENCH/apps/agri_coop"
	if [ -L "$target" ] || [ ! -e "$target" ]; then
		ln -sfn "$AGRI_COOP_APP_DIR" "$target"
	elif [ "$(cd "$target" && pwd -P)" != "$(cd "$AGRI_COOP_APP_DIR" && pwd -P)" ]; then
		die "$target exists and is not this checkout; move it away or set AGRI_COOP_BENCH"
	fi
	# with its dependencies (pyproject.toml), as `bench get-app` would install them
	"$AGRI_COOP_BENCH/env/bin/python" -m pip install -q -e "$AGRI_COOP_APP_DIR" \
		|| die "pip install -e $AGRI_COOP_APP_DIR failed (see above)"
	grep -qx agri_coop "$AGRI_COOP_BENCH/sites/apps.txt" || printf '\nagri_coop\n' >>"$AGRI_COOP_BENCH/sites/apps.txt"
	sed -i '/^$/d' "$AGRI_COOP_BENCH/sites/apps.txt"
}

site_exists() { [ -f "$AGRI_COOP_BENCH/sites/$1/site_config.json" ]; }

# Create SITE with ERPNext and agri_coop, or bring an existing one up to this checkout.
ensure_site() {
	local site="$1"
	if ! site_exists "$site"; then
		log "creating site $site with ERPNext and agri_coop (takes a few minutes)"
		bench_cmd new-site "$site" --db-root-password "$AGRI_COOP_DB_ROOT_PASSWORD" \
			--admin-password "$AGRI_COOP_ADMIN_PASSWORD" --db-host "$AGRI_COOP_DB_HOST" \
			--install-app erpnext --install-app agri_coop
	else
		# install-app leaves an installed app alone, so this needs no fragile "is it there?" check
		bench_cmd --site "$site" install-app erpnext
		bench_cmd --site "$site" install-app agri_coop
		log "migrating $site to this checkout"
		bench_cmd --site "$site" migrate --skip-search-index
	fi
}
