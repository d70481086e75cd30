# Shared by the scripts in this folder: where the project's Python environment lives
# and how to run a command inside it. Sourced, not executed.
#
# Home Assistant 2026.10 needs Python >= 3.14.2. A suitable python3.14 on PATH is used
# directly (virtual environment in .venv/). Otherwise, on Debian as root, a Debian sid
# root with python3.14 is bootstrapped into .cache/sid-root/ and every command runs
# inside it, with the checkout and ../shared bind-mounted at the same paths.

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED_DIR="$(cd "$ROOT_DIR/.." && pwd)/shared"
CACHE_DIR="$ROOT_DIR/.cache"
SID_ROOT="$CACHE_DIR/sid-root"
SID_VENV="/opt/aiot-brain-venv"  # path inside the sid root
MIN_PYTHON="3.14.2"

# Print the path of a python >= MIN_PYTHON on PATH, or nothing.
host_python() {
    local candidate
    for candidate in python3.14 python3.15 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c "import sys; sys.exit(sys.version_info < (3, 14, 2))" 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 0
}

# "host" when a suitable Python is on PATH, "sid" otherwise.
env_mode() {
    if [ -n "${AIOT_BRAIN_FORCE_SID:-}" ]; then
        echo sid
    elif [ -n "$(host_python)" ]; then
        echo host
    else
        echo sid
    fi
}

# The apt mirror this machine already uses, read from its sources (never hard-coded).
apt_mirror() {
    local uri=""
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
    fi
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri="$(awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)"
    fi
    # A security mirror is no place for sid.
    echo "${uri%-security}"
}

# Run "$@" inside the project's environment, from the checkout root.
run_in_env() {
    if [ "$(env_mode)" = host ]; then
        (cd "$ROOT_DIR" && PATH="$ROOT_DIR/.venv/bin:$PATH" VIRTUAL_ENV="$ROOT_DIR/.venv" "$@")
        return
    fi
    # A private mount namespace: the mounts vanish when the command ends. exec keeps
    # the command in the foreground process so Ctrl-C reaches it directly.
    unshare --mount --propagation private -- /bin/bash -euc '
        sid_root=$1 checkout=$2 shared=$3 venv=$4
        shift 4
        mount -t proc proc "$sid_root/proc"
        mount --rbind /dev "$sid_root/dev"
        mount --rbind /sys "$sid_root/sys"
        mkdir -p "$sid_root$checkout"
        mount --bind "$checkout" "$sid_root$checkout"
        if [ -d "$shared" ]; then
            mkdir -p "$sid_root$shared"
            mount --bind "$shared" "$sid_root$shared"
        fi
        # Further folders to show at their own paths (e.g. a config dir outside the checkout).
        IFS=: read -ra extra <<<"${AIOT_BRAIN_EXTRA_MOUNTS:-}"
        for dir in "${extra[@]}"; do
            [ -d "$dir" ] || continue
            mkdir -p "$sid_root$dir"
            mount --bind "$dir" "$sid_root$dir"
        done
        # The host resolver config and CA bundle, copied only when they changed and by
        # rename, so that commands running side by side never read a half-written file.
        for file in /etc/resolv.conf /etc/ssl/certs/ca-certificates.crt; do
            if [ -f "$file" ] && ! cmp -s "$file" "$sid_root$file"; then
                cp -L "$file" "$sid_root$file.$$" && mv -f "$sid_root$file.$$" "$sid_root$file"
            fi
        done
        # Host pip settings that name host paths mean nothing inside the root.
        exec chroot "$sid_root" /usr/bin/env -u PIP_FIND_LINKS -u PIP_CONSTRAINT -u PIP_CONFIG_FILE \
            PATH="$venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
            VIRTUAL_ENV="$venv" HOME=/root \
            /bin/bash -c "cd \"\$0\" && exec \"\$@\"" "$checkout" "$@"
    ' _ "$SID_ROOT" "$ROOT_DIR" "$SHARED_DIR" "$SID_VENV" "$@"
}

# True once scripts/setup has finished.
env_ready() {
    local stamp
    if [ "$(env_mode)" = host ]; then
        stamp="$ROOT_DIR/.venv/.requirements.sha256"
    else
        stamp="$SID_ROOT$SID_VENV/.requirements.sha256"
    fi
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(requirements_hash)" ]
}

requirements_hash() {
    sha256sum "$ROOT_DIR/requirements_test.txt" | cut -d' ' -f1
}
