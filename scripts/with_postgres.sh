#!/usr/bin/env bash
# Run a command beside a throwaway PostgreSQL cluster (make test-postgres, make bench-store).
#
# Finds PostgreSQL's initdb and pg_ctl (installs Debian's postgresql when they are missing
# and we are root), creates a cluster in a temporary directory owned by an unprivileged
# user (initdb refuses root), listening on a Unix socket in that directory only (no TCP),
# runs the command with STORYLINE_TEST_PG set to its URL (a database its user may create
# databases from), then stops the cluster and deletes the directory whatever the command
# did; the command's exit status is the script's. STORYLINE_PG_OPTIONS: the server's
# settings (default "-c fsync=off": tests need no durability). Usage:
#   scripts/with_postgres.sh COMMAND [ARGS...]
#   scripts/with_postgres.sh --wait      # start a cluster, print its URL, wait (development)
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: with_postgres.sh COMMAND [ARGS...] | --wait" >&2; exit 2; }

find_bin() {
	local name=$1 dir
	if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$dir/$name" ]; then echo "$dir/$name"; return 0; fi
	done
	return 1
}

if ! find_bin initdb >/dev/null || ! find_bin pg_ctl >/dev/null; then
	if [ "$(id -u)" = 0 ]; then
		echo "with_postgres: installing Debian's postgresql" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y -q postgresql >/dev/null 2>&1 || \
			{ apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
	else
		echo "with_postgres: PostgreSQL's initdb is missing and we are not root:" \
			"install Debian's postgresql" >&2
		exit 1
	fi
fi
INITDB=$(find_bin initdb); PG_CTL=$(find_bin pg_ctl)

DIR=$(mktemp -d "${TMPDIR:-/tmp}/storyline-pg.XXXXXX")
chmod 755 "$DIR"
AS=()
if [ "$(id -u)" = 0 ]; then  # initdb refuses root: the cluster belongs to nobody
	chown nobody "$DIR"
	AS=(runuser -u nobody --)
fi
cleanup() {
	"${AS[@]}" "$PG_CTL" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

"${AS[@]}" "$INITDB" -D "$DIR/data" -U storyline -A trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
	|| { cat "$DIR/initdb.log" >&2; exit 1; }
"${AS[@]}" "$PG_CTL" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
	-o "-c listen_addresses='' -k $DIR -c max_connections=200 ${STORYLINE_PG_OPTIONS:--c fsync=off}" \
	start >/dev/null \
	|| { cat "$DIR/server.log" >&2; exit 1; }
export STORYLINE_TEST_PG="postgresql://storyline@/postgres?host=$DIR"
echo "with_postgres: cluster at $STORYLINE_TEST_PG" >&2

if [ "$1" = "--wait" ]; then
	echo "$STORYLINE_TEST_PG"
	while sleep 3600; do :; done
fi
"$@"
