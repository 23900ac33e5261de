#!/usr/bin/env bash
# Install, upgrade and remove test of the .deb on a clean Debian 12 root (debootstrap, minbase:
# no Swift, no compiler), the way a bureau's IT staff would do it, as root:
#
#   1. without reachable dependencies, `apt-get install ./academy.deb` fails with apt's own error
#      and leaves no binary behind;
#   2. `apt-get install ./academy_OLD.deb`: the system user, /var/lib/academy and the database;
#      `academy --version` recognizes the shipped content; lint --strict on the shipped content;
#      import the sample staff; create a cycle; sit a scripted --plain exam; audit verify;
#      `man academy`; completions and the unit in place; `systemd-analyze verify` on the unit;
#   3. `apt-get install ./academy_NEW.deb` over it keeps /var/lib/academy, the database has every
#      migration the new binary knows, the exam record survives and the chain still verifies;
#      a database written by a newer Academy stops the configuration with the reason, untouched;
#   4. `apt-get remove` keeps the data and says so; `apt-get purge` says it deletes it, and does.
#
# Usage: scripts/test-install.sh [NEW.deb [OLD.deb]]
#   NEW.deb  default: the newest dist/academy_*_amd64.deb (scripts/package.sh builds it)
#   OLD.deb  an older release to upgrade from; default: NEW.deb repackaged as version
#            <version>~older (same binary and schema — give a real older .deb to exercise a
#            schema migration)
# Needs root, debootstrap, and the Debian mirror this machine's apt uses. The clean root is made
# once in .build-debroot/base (about 4 minutes) and copied for every run.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
say() { echo "test-install: $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

new="${1:-$(ls -t dist/academy_*_amd64.deb 2>/dev/null | head -n 1)}"
[[ -f "$new" ]] || fail "no .deb given and none in dist/ (run scripts/package.sh)"
old="${2:-}"

# The mirror this machine's apt uses (deb822 or one-line sources).
mirror="$(sed -n 's/^URIs: *\(.*debian\)\/*$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n 1)"
[[ -n "$mirror" ]] || mirror="$(sed -n 's/^deb \(http[^ ]*debian\)\/* bookworm .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n 1)"
mirror="${mirror:-http://deb.debian.org/debian}"

command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
work="$PWD/.build-debroot"
mkdir -p "$work"
if [[ ! -x "$work/base/usr/bin/apt-get" ]]; then
  say "debootstrap bookworm from $mirror (once)"
  rm -rf "$work/base.tmp"
  debootstrap --variant=minbase bookworm "$work/base.tmp" "$mirror" > "$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap failed"; }
  mv "$work/base.tmp" "$work/base"
fi

root="$work/run"
cleanup() {
  for m in dev/pts dev proc; do mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"; done
  return 0
}
trap cleanup EXIT
cleanup
rm -rf "$root"
cp -a "$work/base" "$root"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cat > "$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
EOF
echo 'APT::Install-Recommends "true";' > "$root/etc/apt/apt.conf.d/90academy-test"
# No service may start inside the chroot.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d" && chmod +x "$root/usr/sbin/policy-rc.d"

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  DEBIAN_FRONTEND=noninteractive TERM=dumb "$@"; }

cp "$new" "$root/tmp/new.deb"
if [[ -n "$old" ]]; then
  cp "$old" "$root/tmp/old.deb"
else
  # The same package as an older version, so that the upgrade path runs.
  x="$(mktemp -d)"
  dpkg-deb -R "$new" "$x/p"
  v="$(sed -n 's/^Version: //p' "$x/p/DEBIAN/control")"
  sed -i "s/^Version: .*/Version: $v~older/" "$x/p/DEBIAN/control"
  dpkg-deb --root-owner-group -Zgzip -z1 -b "$x/p" "$root/tmp/old.deb" >/dev/null
  rm -rf "$x"
fi

# --- 1. Missing dependencies: apt's own error, nothing installed ------------------------------
say "1. install with no reachable dependencies"
if out="$(in_root apt-get install -y -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=/nonexistent \
  -o Dir::State::Lists=/tmp/no-lists /tmp/old.deb 2>&1)"; then
  fail "apt-get installed without dependencies: $out"
fi
grep -q "Depends: libxml2" <<<"$out" || fail "apt's error does not name libxml2: $out"
grep -q "Unable to correct problems\|unmet dependencies" <<<"$out" || fail "not apt's unmet-dependency error: $out"
[[ ! -e "$root/usr/bin/academy" ]] || fail "a binary was left behind"
say "   apt said: $(grep -m1 'Depends:' <<<"$out" | sed 's/^ *//')"

# --- 2. Install and use -------------------------------------------------------------------------
say "2. apt-get update && apt-get install ./old.deb"
in_root apt-get update -qq >/dev/null
# A server has systemd (not running in a chroot): it checks the unit below.
in_root apt-get install -y -qq --no-install-recommends systemd >/dev/null 2>&1 || fail "could not install systemd"
out="$(in_root apt-get install -y /tmp/old.deb 2>&1)" || { echo "$out" >&2; fail "install failed"; }
grep -q "enable --now academy-hall" <<<"$out" || fail "postinst did not say how to start the hall"
getent_out="$(in_root getent passwd academy)" || fail "no system user academy"
[[ "$getent_out" == *:/var/lib/academy:/usr/sbin/nologin ]] || fail "academy user: $getent_out"
st="$(in_root stat -c '%U %a' /var/lib/academy)"
[[ "$st" == "academy 750" ]] || fail "/var/lib/academy: $st"
[[ "$(in_root stat -c '%U' /var/lib/academy/academy.sqlite)" == academy ]] || fail "the database is not the hall user's"
in_root sh -c 'ldd /usr/bin/academy' | grep -i swift && fail "ldd shows a Swift library"

ver="$(in_root sh -c 'cd /root && academy --lang en --version')"
echo "$ver" | sed 's/^/   /' >&2
grep -q "content in use: /usr/share/academy/Courses, /usr/share/academy/QuestionBank" <<<"$ver" || fail "content not found in /usr/share/academy"
grep -q "(the shipped content)" <<<"$ver" || fail "--version does not recognize the shipped content"

say "   lint --strict (the shipped content, found without a checkout)"
in_root sh -c 'cd /root && academy --lang en lint --strict' | tail -n 1 | sed 's/^/   /' >&2
say "   staff import, cycle create, a scripted --plain exam, audit verify"
in_root sh -c 'cd /root && academy --lang en staff import /usr/share/academy/samples/staff-sample.csv' >/dev/null
today="$(date +%F)"; due="$(date -d '+30 days' +%F)"
in_root academy --lang en cycle create install-test --title "安装测试周期" --course strict-enforcement-2018 \
  --blueprint all-staff-2018 --role officer --opens "$today" --due "$due" >/dev/null
exam="$(printf 'A\nT\ns\nyes\n' | in_root academy --lang en exam take --officer SL0001 --cycle install-test --plain)" ||
  fail "exam take failed"
grep -q "score:" <<<"$exam" && grep -q "result:" <<<"$exam" || { echo "$exam" | tail -n 20 >&2; fail "the exam did not finish with a score"; }
say "   exam: $(grep -m1 'score:' <<<"$exam" | sed 's/.*> //')"
in_root academy --lang en audit verify >/dev/null || fail "audit verify failed after install"
# Root ran those commands: every file of the database must still be the hall user's.
bad="$(find "$root/var/lib/academy" ! -user "$(stat -c %u "$root/var/lib/academy")" -print)"
[[ -z "$bad" ]] || fail "files in /var/lib/academy not owned by academy: $bad"
in_root runuser -u academy -- academy --lang en record show SL0001 >/dev/null || fail "the academy user cannot read the record"

man="$(in_root sh -c 'MANWIDTH=100 man -P cat academy 2>&1')" || { echo "$man" >&2; fail "man academy failed"; }
grep -q "academy" <<<"$man" && grep -qi "lint" <<<"$man" || fail "man academy lacks the commands"
in_root sh -c 'man -w academy.lint >/dev/null' || fail "no man page for academy lint"
for f in /usr/share/bash-completion/completions/academy /usr/share/zsh/vendor-completions/_academy \
  /usr/share/fish/vendor_completions.d/academy.fish /lib/systemd/system/academy-hall.service \
  /usr/share/doc/academy/copyright /usr/share/doc/academy/admin-guide.md /etc/academy/academy.conf; do
  [[ -s "$root$f" ]] || fail "missing $f"
done
in_root systemd-analyze verify /lib/systemd/system/academy-hall.service || fail "systemd-analyze verify"
score="$(in_root systemd-analyze security --offline=true academy-hall.service 2>&1 | tail -n 1)"
grep -Eq "exposure level for academy-hall.service: [0-9.]+ (OK|SAFE)" <<<"$score" || fail "security: $score"
say "   systemd-analyze verify: clean; security: ${score#*: }"

# --- 3. Upgrade keeps the data and migrates --------------------------------------------------
say "3. upgrade to $(dpkg-deb -f "$new" Version)"
sum_before="$(in_root academy --lang en record show SL0001 --format json | grep -c attempt || true)"
out="$(in_root apt-get install -y /tmp/new.deb 2>&1)" || { echo "$out" >&2; fail "upgrade failed"; }
in_root academy --lang en --version | grep -q "^academy $(dpkg-deb -f "$new" Version)$" || fail "not upgraded"
in_root academy --db /tmp/fresh.sqlite audit head >/dev/null
applied() { python3 - "$1" <<'EOF'
import sqlite3, sys
print("\n".join(sorted(r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT identifier FROM grdb_migrations"))))
EOF
}
[[ "$(applied "$root/var/lib/academy/academy.sqlite")" == "$(applied "$root/tmp/fresh.sqlite")" ]] ||
  fail "the database lacks migrations of the new version"
sum_after="$(in_root academy --lang en record show SL0001 --format json | grep -c attempt || true)"
[[ "$sum_before" == "$sum_after" && "$sum_after" != 0 ]] || fail "the record changed across the upgrade ($sum_before → $sum_after)"
in_root academy --lang en audit verify >/dev/null || fail "audit verify failed after the upgrade"
say "   migrations: $(applied "$root/var/lib/academy/academy.sqlite" | tr '\n' ' ')"
# A database from a newer Academy: configuring the package stops with the store's reason and
# leaves the file as it was; once the newer migration is gone, configuration completes.
db="$root/var/lib/academy/academy.sqlite"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("INSERT INTO grdb_migrations VALUES (?)", ("v99-future",)); c.commit()' "$db"
before="$(sha256sum < "$db")"
if out="$(in_root dpkg-reconfigure academy 2>&1)"; then fail "a database from a newer Academy was accepted"; fi
grep -qE "newer Academy|更新版本的 Academy" <<<"$out" || fail "no reason given for the refusal: $out"
[[ "$(sha256sum < "$db")" == "$before" ]] || fail "the newer database was written to"
say "   newer database refused: $(grep -m1 'newer Academy' <<<"$out" | cut -c1-110)…"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM grdb_migrations WHERE identifier = ?", ("v99-future",)); c.commit()' "$db"
in_root dpkg --configure -a >/dev/null 2>&1 || true
in_root dpkg-reconfigure academy >/dev/null || fail "could not configure again"

# --- 4. Remove keeps data; purge deletes it and says so ---------------------------------------
say "4. remove, then purge"
out="$(in_root apt-get remove -y academy 2>&1)" || { echo "$out" >&2; fail "remove failed"; }
grep -q "kept /var/lib/academy" <<<"$out" || fail "remove did not say the data is kept"
[[ ! -e "$root/usr/bin/academy" && -f "$root/var/lib/academy/academy.sqlite" ]] || fail "remove: binary left or data gone"
out="$(in_root apt-get purge -y academy 2>&1)" || { echo "$out" >&2; fail "purge failed"; }
grep -q "deleting /var/lib/academy" <<<"$out" || fail "purge did not say it deletes the data"
[[ ! -e "$root/var/lib/academy" && ! -e "$root/etc/academy" ]] || fail "purge left /var/lib/academy or /etc/academy"

say "PASS in $(($(date +%s) - started)) s"
