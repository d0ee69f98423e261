# Sourced by the test scripts: start_xvfb DISPLAY_NUMBER starts a virtual X server unless one is
# already serving that display, and stops it when the script exits (stop_xvfb, for a script that sets
# its own exit trap).
start_xvfb() {
	export DISPLAY=":$1"
	xdpyinfo >/dev/null 2>&1 && return
	# A socket nothing answers on is a server still going away (a script just before stopped its own):
	# taken for a server, the window opened next was refused ("failed to init GTK", 1 of 4 back-to-back
	# dist-figures runs).
	for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$1" ] || break; sleep 0.1; done
	[ ! -e "/tmp/.X11-unix/X$1" ] || return 0
	Xvfb "$DISPLAY" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
	XVFB_PID=$!
	trap stop_xvfb EXIT
	# Ready when it answers, not when its socket appears: a window opened in between was once
	# refused ("failed to init GTK", make dist's first launch).
	for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
}

# stop_xvfb stops the server start_xvfb started and waits for it to go.
stop_xvfb() {
	[ -n "${XVFB_PID:-}" ] || return 0
	kill "$XVFB_PID" 2>/dev/null || true
	wait "$XVFB_PID" 2>/dev/null || true
}
