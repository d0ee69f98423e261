# Sourced by the test scripts: start_xvfb DISPLAY_NUMBER starts a virtual X server unless one is
# already serving that display, and stops it when the script exits.
start_xvfb() {
	export DISPLAY=":$1"
	if ! xdpyinfo >/dev/null 2>&1 && [ ! -e "/tmp/.X11-unix/X$1" ]; then
		Xvfb "$DISPLAY" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
		XVFB_PID=$!
		trap 'kill $XVFB_PID 2>/dev/null' EXIT
		# Ready when it answers, not when its socket appears: a window opened in between was once
		# refused ("failed to init GTK", make dist's first launch).
		for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
	fi
}
