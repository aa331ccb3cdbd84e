#!/bin/sh
# Install what `make build` and `make test` need and is missing: Debian packages, then .venv.
#
#   scripts/bootstrap.sh            system packages + .venv (what `make build`/`make test` run)
#   scripts/bootstrap.sh --venv     only the .venv (what `make lint` runs)
#
# Quick when everything is present: one dpkg-query call and a stamp comparison.
# Environment:
#   PYTHON=python3.12          the interpreter for .venv (default python3; must be >= 3.11)
#   ESSAYPRESS_SKIP_SYSTEM=1   do not check Debian packages (other distributions, containers)
set -eu

cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.essaypress-installed

# Debian 12 (bookworm) names. WeasyPrint: Pango + HarfBuzz subsetting; fonts for zh-Hant/zh-Hans/
# Latin; Java for EPUBCheck; poppler-utils (pdffonts, pdftotext) and LibreOffice Writer for the
# PDF and DOCX checks in the tests; fontconfig so font packages are registered in its cache.
SYSTEM_PACKAGES="
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
    fontconfig fonts-noto-core fonts-noto-cjk
    default-jre-headless
    poppler-utils
    libreoffice-writer-nogui
"

say() { printf 'bootstrap: %s\n' "$*" >&2; }
elapsed() { echo "$(($(date +%s) - $1)) s"; }
die() { printf 'bootstrap: error: %s\n' "$*" >&2; exit 1; }

# --- Python ------------------------------------------------------------------------------------

check_python() {
    command -v "$PYTHON" >/dev/null 2>&1 ||
        die "$PYTHON not found. Install Python 3.11 or newer (Debian 12: apt-get install python3 python3-venv), or set PYTHON=/path/to/python3.11"
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
        die "$PYTHON is Python $("$PYTHON" -c 'import platform; print(platform.python_version())'); essaypress needs 3.11 or newer. Set PYTHON=/path/to/python3.11 (or newer)"
}

# Debian splits venv/ensurepip out of its python3; name the package that brings them back.
venv_package() {
    if "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        return 0
    fi
    case "$(command -v "$PYTHON")" in
        /usr/bin/*) "$PYTHON" -c 'import sys; print("python%d.%d-venv" % sys.version_info[:2])' ;;
    esac
}

# --- System packages ---------------------------------------------------------------------------

missing_packages() {
    # Prints those of the packages $* that are not installed (one dpkg-query call).
    dpkg-query -W -f='${Package} ${db:Status-Status}\n' "$@" 2>/dev/null |
        awk -v wanted="$*" '
            $2 == "installed" { ok[$1] = 1 }
            END { n = split(wanted, w, " "); for (i = 1; i <= n; i++) if (!(w[i] in ok)) printf "%s ", w[i] }'
}

need_update() {
    # True if the package lists are over a day old (or absent), or lack one of $*.
    [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -n 1)" ] ||
        return 0
    for p in "$@"; do
        case "$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ { print $2 }')" in
            '' | '(none)') return 0 ;;
        esac
    done
    return 1
}

apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

ensure_system() {
    if [ "${ESSAYPRESS_SKIP_SYSTEM:-}" = 1 ]; then
        return 0
    fi
    wanted="$SYSTEM_PACKAGES $(venv_package)"
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "not a Debian system: cannot check system packages. Make sure the equivalents of these"
        say "Debian 12 packages are installed, then run with ESSAYPRESS_SKIP_SYSTEM=1:"
        say "  $(echo $wanted)"
        exit 1
    fi
    # shellcheck disable=SC2086
    missing=$(missing_packages $wanted)
    if [ -z "$missing" ]; then
        return 0
    fi
    if [ "$(id -u)" != 0 ]; then
        say "missing system packages: $missing"
        say "install them with:"
        printf '\n    sudo apt-get install -y --no-install-recommends %s\n\n' "$(echo $missing)" >&2
        say "then run make again."
        exit 1
    fi
    say "installing system packages: $missing"
    t0=$(date +%s)
    # shellcheck disable=SC2086
    if need_update $missing; then
        apt-get update
    fi
    # shellcheck disable=SC2086
    if ! apt_install $missing; then
        say "apt-get install failed; refreshing the package lists and retrying"
        apt-get update
        apt_install $missing || die "apt-get install failed for: $missing"
    fi
    say "system packages installed ($(elapsed "$t0"))"
}

# --- .venv -------------------------------------------------------------------------------------

stamp_value() {
    # What the installed .venv was made from: interpreter version + pyproject.toml content.
    printf '%s %s\n' \
        "$("$VENV/bin/python" -c 'import sys; print(sys.version.split()[0])')" \
        "$(cksum < pyproject.toml)"
}

ensure_venv() {
    if [ ! -e "$VENV" ]; then
        say "creating $VENV with $PYTHON ($("$PYTHON" -c 'import sys; print(sys.version.split()[0])'))"
        if ! "$PYTHON" -m venv "$VENV"; then
            rm -rf "$VENV" # ours, just made: half a venv would fail later in a less clear way
            die "'$PYTHON -m venv $VENV' failed (Debian: apt-get install python3-venv)"
        fi
    fi
    # An existing .venv is never deleted here: it may belong to someone else or hold more.
    "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 ||
        die "$VENV exists but $VENV/bin/python does not run as Python >= 3.11 (made by another user or an interpreter that is gone?). Remove it (rm -rf $VENV) and run make again"
    if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(stamp_value)" ]; then
        return 0
    fi
    [ -w "$VENV" ] ||
        die "$VENV needs updating but is not writable by $(id -un); run make as its owner"
    say "installing essaypress and its test tools into $VENV (pip install -e '.[test]'; about half a minute)"
    rm -f "$STAMP"
    t0=$(date +%s)
    "$VENV/bin/python" -m pip install --quiet -e '.[test]' ||
        die "'$VENV/bin/python -m pip install -e .[test]' failed (see above); is the package index reachable?"
    stamp_value > "$STAMP"
    say "$VENV ready ($(elapsed "$t0"))"
}

# --- main --------------------------------------------------------------------------------------

check_python
case "${1:-}" in
    --venv) ;;
    '') ensure_system ;;
    *) die "unknown option '$1' (use --venv or nothing)" ;;
esac
ensure_venv
