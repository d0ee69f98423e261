// The development page's bridge to Go (served by devpage_dev.go in place of Wails' /wails/ipc.js).
// It speaks Wails' development protocol as Wails' own bridge does (a WebSocket at /wails/ipc; calls
// queued until it opens; "n" events and "c" call results handed to the runtime; a lost connection
// tried again every 0.5 s) but without that bridge's reconnect overlay, a Svelte app of 52 KB the page
// would block on, where a registrar's window loads a 412-byte bridge.
(() => {
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/wails/ipc'
  let socket = null
  let queued = []
  window.WailsInvoke = (message) => (socket ? socket.send(message) : queued.push(message))
  const connect = () => {
    const ws = new WebSocket(url)
    ws.onopen = () => {
      socket = ws
      for (const message of queued) ws.send(message)
      queued = []
    }
    ws.onmessage = ({ data }) => {
      if (data === 'reload') window.runtime.WindowReload()
      else if (data === 'reloadapp') window.runtime.WindowReloadApp()
      else if (data[0] === 'n') window.wails.EventsNotify(data.slice(1))
      else if (data[0] === 'c') window.wails.Callback(data.slice(1))
    }
    ws.onclose = () => {
      socket = null
      setTimeout(connect, 500)
    }
  }
  window.addEventListener('beforeunload', () => {
    if (!socket) return
    socket.onclose = null
    socket.close()
  })
  connect()
})()
