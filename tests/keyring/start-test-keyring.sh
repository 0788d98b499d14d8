#!/bin/sh
# Starts a private D-Bus session bus with an unlocked gnome-keyring (Secret Service) for the keyring tests.
# Usage: start-test-keyring.sh DIR [--no-keyring]
# Everything lives under DIR (bus socket, keyring files, runtime dir): no desktop, and the user's own keyring is
# never touched. The bus has no service activation, so no second daemon can be started behind the tests' back.
# --no-keyring: a bus without any Secret Service.
# Prints two lines: the bus address, then the dbus-daemon pid (kill it to end both; the keyring daemon exits with its bus).
set -eu
dir="$1"
mkdir -p "$dir/data" "$dir/runtime"
chmod 700 "$dir" "$dir/runtime"
cat > "$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$dir/runtime</listen>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
CONF
out=$(env HOME="$dir" XDG_DATA_HOME="$dir/data" XDG_RUNTIME_DIR="$dir/runtime" \
  dbus-daemon --config-file="$dir/bus.conf" --fork --nopidfile --print-address=1 --print-pid=1)
address=$(printf '%s\n' "$out" | sed -n 1p)
pid=$(printf '%s\n' "$out" | sed -n 2p)
if [ "${2:-}" != "--no-keyring" ]; then
  printf '%s' "ct-test-keyring-password" | env DBUS_SESSION_BUS_ADDRESS="$address" XDG_DATA_HOME="$dir/data" \
    XDG_RUNTIME_DIR="$dir/runtime" HOME="$dir" gnome-keyring-daemon --unlock --components=secrets >/dev/null
  # The daemon forks before it owns org.freedesktop.secrets: wait (up to 10 s) until it does.
  tries=0
  until DBUS_SESSION_BUS_ADDRESS="$address" dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do
    tries=$((tries + 1))
    if [ "$tries" -ge 100 ]; then
      kill "$pid"
      echo "gnome-keyring-daemon did not take org.freedesktop.secrets on $address" >&2
      exit 1
    fi
    sleep 0.1
  done
  # Owning the name is not enough: the Service object and the unlocked default collection appear a little later
  # ("Method SearchItems is not implemented" otherwise). Wait (up to 10 s more) until both answer.
  tries=0
  until DBUS_SESSION_BUS_ADDRESS="$address" dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
      org.freedesktop.Secret.Service.SearchItems dict:string:string:ct-probe,1 >/dev/null 2>&1 \
    && DBUS_SESSION_BUS_ADDRESS="$address" dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
      org.freedesktop.Secret.Service.ReadAlias string:default 2>/dev/null | grep -q 'object path "/org/freedesktop/secrets/collection/'; do
    tries=$((tries + 1))
    if [ "$tries" -ge 100 ]; then
      kill "$pid"
      echo "gnome-keyring-daemon on $address did not answer Secret Service calls with an unlocked default collection" >&2
      exit 1
    fi
    sleep 0.1
  done
fi
printf '%s\n%s\n' "$address" "$pid"
