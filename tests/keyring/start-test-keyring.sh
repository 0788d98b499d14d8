#!/bin/sh
# Starts a private D-Bus session bus with an unlocked gnome-keyring (Secret Service) for the keyring tests.
# Usage: start-test-keyring.sh DIR [--no-keyring]
# Everything lives under DIR (keyring files, runtime dir): no desktop, and the user's own keyring is never touched.
# --no-keyring: a bus without any Secret Service (and without D-Bus activation, so none can be started on it).
# Prints two lines: the bus address, then the dbus-daemon pid (kill it to end both; the keyring daemon exits with its bus).
set -eu
dir="$1"
mkdir -p "$dir/data" "$dir/runtime"
chmod 700 "$dir/runtime"
if [ "${2:-}" = "--no-keyring" ]; then
  cat > "$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$dir/runtime</listen>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
CONF
  dbus-daemon --config-file="$dir/bus.conf" --fork --nopidfile --print-address=1 --print-pid=1
  exit 0
fi
out=$(dbus-daemon --session --fork --nopidfile --print-address=1 --print-pid=1)
address=$(printf '%s\n' "$out" | sed -n 1p)
pid=$(printf '%s\n' "$out" | sed -n 2p)
printf '%s' "ct-test-keyring-password" | env DBUS_SESSION_BUS_ADDRESS="$address" XDG_DATA_HOME="$dir/data" \
  XDG_RUNTIME_DIR="$dir/runtime" HOME="$dir" gnome-keyring-daemon --unlock --components=secrets >/dev/null
printf '%s\n%s\n' "$address" "$pid"
