// The demo page: an audio call plus a text chat between two browsers, signaled through Rendezvous.
// The signaling client is /rendezvous.js; everything WebRTC lives here.
//
// Query flags: ?id=<ID> picks the own ID; ?loopback=1 drops every ICE candidate that is not on a
// loopback address before it is signaled, so test media never leaves the machine; ?relay=1 (for
// tests) sets iceTransportPolicy "relay", so a call connects through TURN or not at all.

import { IceServers, RendezvousClient, validateId } from './rendezvous.js';

const params = new URLSearchParams(location.search);
const loopbackOnly = params.get('loopback') === '1';
const relayOnly = params.get('relay') === '1';
// Some builds lack WebRTC (Debian's WebKitGTK, Safari with it turned off): signaling still works.
const webrtc = typeof RTCPeerConnection === 'function';
const NO_WEBRTC = 'This browser has no WebRTC (RTCPeerConnection): it can signal, but not make or take calls.';
const ID_KEY = 'rendezvous.id';
// The peer of a call that was up when this tab reloaded: called again as soon as we are back online.
const REDIAL_KEY = 'rendezvous.redial';
const LOG_LIMIT = 200;

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('signaling-status'), notice: $('notice'),
  ownForm: $('own-form'), ownId: $('own-id'), ownRandom: $('own-random'),
  callForm: $('call-form'), peerId: $('peer-id'), call: $('call'), hangup: $('hangup'),
  callState: $('call-state'), icePair: $('ice-pair'), audioIn: $('audio-in'),
  meter: $('mic-meter'), unmute: $('unmute'), audio: $('remote-audio'),
  chat: $('chat'), chatForm: $('chat-form'), chatInput: $('chat-input'), chatSend: $('chat-send'),
  log: $('log'), showBodies: $('show-bodies'),
};

let iceServers = null;
let iceServersLoaded = Promise.resolve();
let client = null;
let call = null;
let opens = 0;
const chatLines = [];
const logEntries = [];

// ---------------------------------------------------------------------------------------------
// Own ID and the signaling connection

function randomId() {
  const adjectives = ['brave', 'calm', 'eager', 'gentle', 'happy', 'jolly', 'kind', 'lively', 'proud', 'quick', 'swift', 'witty'];
  const animals = ['otter', 'heron', 'lynx', 'panda', 'robin', 'falcon', 'badger', 'koala', 'puffin', 'gecko', 'bison', 'marten'];
  const pick = (list) => list[crypto.getRandomValues(new Uint32Array(1))[0] % list.length];
  return `${pick(adjectives)}-${pick(animals)}-${crypto.getRandomValues(new Uint32Array(1))[0] % 90 + 10}`;
}

function goOnline(id) {
  const problem = validateId(id);
  if (problem) return showNotice(`Cannot use that ID: ${problem}.`, 'error');
  if (client && client.id === id && client.state !== 'closed') return;
  endCall('you changed your ID', { notifyPeer: true });
  client?.close();
  localStorage.setItem(ID_KEY, id);
  ui.ownId.value = id;
  hideNotice();
  client = new RendezvousClient(id);
  wire(client);
  // TURN credentials name the ID: a new ID needs its own.
  iceServers?.stop();
  iceServers = new IceServers(id);
  iceServers.addEventListener('error', (event) => logLine('!', 'ice servers', event.error.message));
  iceServersLoaded = iceServers.load().catch(() => {});
}

function wire(signaling) {
  signaling.addEventListener('statechange', () => renderStatus(signaling));
  signaling.addEventListener('open', () => {
    opens++;
    if (ui.notice.dataset.kind === 'connection') hideNotice();
    logLine('•', 'connected', `as ${signaling.id}`);
    redialAfterReload();
  });
  signaling.addEventListener('close', (event) => {
    logLine('•', 'closed', `${event.code} ${event.reason}`);
    if (event.code === 4409) {
      endCall('your ID is in use', { notifyPeer: false });
      showNotice(`ID in use: someone else is already connected as “${signaling.id}”. Pick another ID.`, 'error', 'connection');
    } else if (event.code === 4410) {
      endCall('another tab took over this ID', { notifyPeer: false });
      showNotice(`Another tab or device took over “${signaling.id}”: this page is offline. Reload it to take the ID back.`, 'warn', 'connection');
    } else if (event.code === 4401) {
      showNotice(`Signaling refused: ${event.reason}.`, 'error', 'connection');
    } else if (event.willReconnect) {
      showNotice(`Signaling connection lost (${event.reason}). Reconnecting in ${seconds(event.delayMs)}…`, 'warn', 'connection');
    } else {
      showNotice(`Signaling connection closed: ${event.reason}.`, 'error', 'connection');
    }
  });
  signaling.addEventListener('sent', (event) => logSignal('→', event));
  signaling.addEventListener('message', (event) => logSignal('←', event));
  signaling.addEventListener('mixup', (event) => logLine('!', 'mixup', `message addressed to ${event.message.to}`));
  signaling.addEventListener('server-error', (event) => {
    logLine('!', event.error, event.detail);
    if (!['peer-unavailable', 'expired', 'mailbox-full'].includes(event.error)) showNotice(`Server said ${event.error}: ${event.detail}`, 'error');
  });
  // With --mailbox-ttl the server holds the offer until the callee connects, delivers it then,
  // and the call goes on from the answer; it says 'expired' if the callee never came.
  signaling.addEventListener('held', (event) => {
    logLine('•', 'held', `until ${event.peer} connects`);
    if (call && call.peer === event.peer && !call.pc.remoteDescription) {
      showNotice(`Waiting for “${event.peer}” to come online…`, 'info', 'peer');
    }
  });
  for (const code of ['expired', 'mailbox-full']) {
    signaling.addEventListener(code, (event) => {
      const why = code === 'expired' ? `“${event.peer}” did not come online in time` : `the server's mailbox for “${event.peer}” is full`;
      showNotice(`Call not connected: ${why}.`, 'error', 'peer');
      if (call && call.peer === event.peer && call.pc.connectionState !== 'connected') {
        endCall(code === 'expired' ? `${event.peer} did not come online` : 'mailbox full', { notifyPeer: false });
      }
    });
  }
  signaling.addEventListener('peer-unavailable', (event) => {
    showNotice(`Nobody is connected as “${event.peer}”.`, 'error', 'peer');
    if (call && call.peer === event.peer && call.pc.connectionState !== 'connected') {
      endCall(`nobody is connected as ${event.peer}`, { notifyPeer: false });
    }
  });
  for (const type of ['offer', 'answer', 'candidate', 'bye']) {
    signaling.addEventListener(type, (event) => enqueue(() => handlers[type](event)));
  }
}

function renderStatus(signaling) {
  const labels = {
    idle: 'offline', connecting: 'connecting…', open: 'online',
    reconnecting: 'reconnecting…',
    closed: { 4409: 'ID in use', 4410: 'taken over', 4401: 'not allowed' }[signaling.lastClose?.code] ?? 'offline',
  };
  ui.status.textContent = labels[signaling.state];
  ui.status.dataset.state = signaling.state;
  document.body.dataset.signaling = signaling.state;
}

// ---------------------------------------------------------------------------------------------
// The call

// Signals are handled one at a time, in arrival order: a candidate must wait for the offer
// before it that is still being applied.
let signalQueue = Promise.resolve();
function enqueue(task) {
  signalQueue = signalQueue.then(task).catch((error) => logLine('!', 'call error', error.message));
}

function newCall(peer) {
  const pc = new RTCPeerConnection({ iceServers: iceServers.current, iceTransportPolicy: relayOnly ? 'relay' : 'all' });
  // Polite peer in a glare (both pressed Call): the smaller ID yields and answers the other's offer.
  const current = { peer, pc, polite: client.id < peer, channels: [], mic: null, pending: [], stats: null, meter: null };
  pc.onicecandidate = ({ candidate }) => {
    if (!candidate || !candidate.candidate) return;
    if (loopbackOnly && !isLoopback(candidate)) return;
    signal(peer, 'candidate', candidate.toJSON());
  };
  pc.onconnectionstatechange = () => {
    if (call !== current) return;
    renderCall();
    renderStats(current);
    if (pc.connectionState === 'failed') {
      showNotice('The call could not connect: no network path between you. A TURN server in --ice-servers may be needed.', 'error', 'peer');
    }
  };
  pc.ontrack = (event) => {
    ui.audio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
    ui.audio.play().then(() => { ui.unmute.hidden = true; }, () => { ui.unmute.hidden = false; });
  };
  pc.ondatachannel = (event) => attachChannel(current, event.channel);
  current.detachIce = iceServers.attach(pc);
  current.stats = setInterval(() => renderStats(current), 1000);
  if (loopbackOnly) logLine('•', 'loopback only', 'candidates off 127.0.0.0/8 and ::1 are not sent');
  return current;
}

function isLoopback(candidate) {
  const address = candidate.address ?? candidate.candidate.split(' ')[4] ?? '';
  return address.startsWith('127.') || address === '::1' || address === '[::1]';
}

async function startCall(peer) {
  await readyIceServers();
  const problem = validateId(peer);
  if (problem) return showNotice(`Cannot call that ID: ${problem}.`, 'error');
  if (peer === client.id) return showNotice('That is your own ID: enter the ID shown on the other device.', 'error');
  if (!webrtc) return showNotice(NO_WEBRTC, 'error');
  if (client.state !== 'open') return showNotice('Not connected to the signaling server yet.', 'error');
  if (call) return;
  hideNotice();
  call = newCall(peer);
  const current = call;
  renderCall();
  await attachMic(current);
  attachChannel(current, current.pc.createDataChannel('chat'));
  await current.pc.setLocalDescription();
  if (call === current) signal(peer, 'offer', current.pc.localDescription.sdp);
}

/** Waits (bounded) for the first fetch of the ICE servers: a call without its TURN server may never connect. */
function readyIceServers() {
  return Promise.race([iceServersLoaded, new Promise((resolve) => setTimeout(resolve, 3000))]);
}

const handlers = {
  async offer(event) {
    await readyIceServers();
    const peer = event.peer;
    if (!peer) return logLine('!', 'offer ignored', 'no "from": cannot answer');
    if (!webrtc) return showNotice(`${NO_WEBRTC} A call from “${peer}” was not answered.`, 'error');
    if (call && call.peer !== peer) return signal(peer, 'bye', 'busy');
    if (call && call.pc.remoteDescription && call.pc.signalingState === 'stable') {
      // A fresh offer in an established call: the other page reloaded and is calling again
      // (this demo never renegotiates), so its old connection is gone.
      endCall(`${peer} reloaded`, { notifyPeer: false });
    }
    if (!call) {
      call = newCall(peer);
      ui.peerId.value = peer;
      showNotice(`Incoming call from “${peer}”: answered.`, 'info', 'peer');
      renderCall();
    }
    const current = call;
    const collision = current.pc.signalingState !== 'stable';
    if (collision && !current.polite) return;
    await current.pc.setRemoteDescription({ type: 'offer', sdp: sdpText(event.message.sdp) });
    await applyPendingCandidates(current);
    await attachMic(current);
    await current.pc.setLocalDescription();
    if (call === current) signal(peer, 'answer', current.pc.localDescription.sdp);
  },

  async answer(event) {
    if (!call || call.peer !== event.peer || call.pc.signalingState !== 'have-local-offer') return;
    if (ui.notice.dataset.kind === 'peer') hideNotice();
    await call.pc.setRemoteDescription({ type: 'answer', sdp: sdpText(event.message.sdp) });
    await applyPendingCandidates(call);
  },

  async candidate(event) {
    if (!call || call.peer !== event.peer) return;
    const candidate = candidateInit(event.message.sdp);
    if (!candidate) return;
    if (!call.pc.remoteDescription) {
      call.pending.push(candidate);
      return;
    }
    await call.pc.addIceCandidate(candidate);
  },

  async bye(event) {
    if (call && call.peer === event.peer) {
      const busy = event.message.sdp === 'busy';
      endCall(busy ? `${event.peer} is busy` : `${event.peer} hung up`, { notifyPeer: false });
    }
  },
};

async function applyPendingCandidates(current) {
  for (const candidate of current.pending.splice(0)) await current.pc.addIceCandidate(candidate);
}

// The seed protocol does not fix how a description or candidate is carried in "sdp": accept the
// SDP text or a {type, sdp} object, and a candidate object, its JSON text, or a bare candidate line.
function sdpText(sdp) {
  return typeof sdp === 'string' ? sdp : sdp?.sdp;
}

function candidateInit(sdp) {
  if (sdp === null || sdp === undefined || sdp === '') return null;
  if (typeof sdp === 'object') return sdp.candidate ? sdp : null;
  const text = String(sdp).trim();
  if (text.startsWith('{')) return candidateInit(JSON.parse(text));
  return { candidate: text.replace(/^a=/, ''), sdpMLineIndex: 0 };
}

function signal(peer, type, sdp) {
  try {
    client.send(peer, type, sdp);
  } catch (error) {
    logLine('!', `${type} not sent`, error.message);
  }
}

function endCall(why, { notifyPeer }) {
  const current = call;
  if (!current) return;
  call = null;
  if (notifyPeer && client?.state === 'open') signal(current.peer, 'bye', null);
  clearInterval(current.stats);
  current.detachIce();
  cancelAnimationFrame(current.meter?.frame);
  current.meter?.context.close();
  current.mic?.getTracks().forEach((track) => track.stop());
  current.channels.forEach((channel) => channel.close());
  current.pc.close();
  ui.audio.srcObject = null;
  ui.unmute.hidden = true;
  logLine('•', 'call ended', why);
  if (ui.notice.dataset.level === 'info') hideNotice();
  renderCall(why);
}

async function attachMic(current) {
  if (current.mic) return;
  try {
    current.mic = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
  } catch (error) {
    showNotice(`No microphone (${error.name}): the call continues, receiving only.`, 'warn', 'peer');
    current.mic = new MediaStream();
    // A caller without a microphone must still offer an audio section, or nothing can be received.
    if (!current.pc.remoteDescription) current.pc.addTransceiver('audio', { direction: 'recvonly' });
    return;
  }
  if (call !== current) {
    current.mic.getTracks().forEach((track) => track.stop());
    return;
  }
  current.mic.getTracks().forEach((track) => current.pc.addTrack(track, current.mic));
  current.meter = startMeter(current.mic);
}

function attachChannel(current, channel) {
  current.channels.push(channel);
  channel.onopen = () => call === current && renderCall();
  channel.onclose = () => call === current && renderCall();
  channel.onmessage = (event) => addChat(current.peer, String(event.data));
}

function openChannel() {
  return call?.channels.find((channel) => channel.readyState === 'open') ?? null;
}

function renderCall(ended) {
  const state = call ? call.pc.connectionState : 'idle';
  ui.callState.textContent = call ? `${state} · ${call.peer}` : (ended ? `ended: ${ended}` : 'idle');
  ui.callState.dataset.state = state;
  document.body.dataset.call = state;
  ui.call.disabled = Boolean(call);
  ui.hangup.disabled = !call;
  const chatReady = Boolean(openChannel());
  ui.chatInput.disabled = !chatReady;
  ui.chatSend.disabled = !chatReady;
  if (!call) {
    ui.icePair.textContent = '–';
    ui.audioIn.textContent = '–';
    setMeter(0);
  }
}

async function renderStats(current) {
  const stats = await current.pc.getStats().catch(() => null);
  if (!stats || call !== current) return;
  const summary = summarize(stats);
  ui.icePair.textContent = summary.pair ?? 'checking…';
  ui.audioIn.textContent = `${summary.packetsReceived} packets`;
}

function summarize(stats) {
  let pair = null;
  let types = null;
  let packetsReceived = 0;
  stats.forEach((report) => {
    if (report.type === 'transport' && report.selectedCandidatePairId) {
      const selected = stats.get(report.selectedCandidatePairId);
      const local = selected && stats.get(selected.localCandidateId);
      const remote = selected && stats.get(selected.remoteCandidateId);
      if (local && remote) {
        pair = `${local.candidateType} ↔ ${remote.candidateType} (${local.protocol})`;
        types = { local: local.candidateType, remote: remote.candidateType };
      }
    }
    if (report.type === 'inbound-rtp' && report.kind === 'audio') packetsReceived += report.packetsReceived ?? 0;
  });
  return { pair, packetsReceived, types };
}

// ---------------------------------------------------------------------------------------------
// Microphone level: RMS of the time-domain signal from an AnalyserNode, drawn once per frame.

function startMeter(stream) {
  if (stream.getAudioTracks().length === 0) return null;
  const context = new AudioContext();
  context.resume().catch(() => {});
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const meter = { context, frame: 0 };
  const draw = () => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    const rms = Math.sqrt(sum / samples.length);
    setMeter(Math.min(1, rms * 4));
    meter.frame = requestAnimationFrame(draw);
  };
  draw();
  return meter;
}

let peakMicLevel = 0;

function setMeter(level) {
  peakMicLevel = Math.max(peakMicLevel, level);
  ui.meter.firstElementChild.style.transform = `scaleX(${level})`;
  ui.meter.setAttribute('aria-valuenow', String(Math.round(level * 100)));
}

// ---------------------------------------------------------------------------------------------
// Chat, notices, log

function addChat(from, text) {
  chatLines.push({ from, text });
  const item = document.createElement('li');
  item.className = from === 'me' ? 'mine' : 'theirs';
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = from === 'me' ? 'you' : from;
  const body = document.createElement('span');
  body.className = 'text';
  body.textContent = text;
  item.append(who, body);
  ui.chat.append(item);
  ui.chat.scrollTop = ui.chat.scrollHeight;
}

function showNotice(text, level, kind = 'general') {
  ui.notice.textContent = text;
  ui.notice.dataset.level = level;
  ui.notice.dataset.kind = kind;
  ui.notice.hidden = false;
}

function hideNotice() {
  ui.notice.hidden = true;
  ui.notice.textContent = '';
  delete ui.notice.dataset.kind;
}

function logSignal(direction, event) {
  const peer = direction === '→' ? event.message.to : event.peer ?? '?';
  addLog({ direction, type: event.signalType ?? '(no type)', info: `${event.size} B ${direction === '→' ? 'to' : 'from'} ${peer}`, body: event.data });
}

function logLine(direction, type, info) {
  addLog({ direction, type, info, body: null });
}

function addLog(entry) {
  entry.time = new Date().toLocaleTimeString([], { hour12: false });
  logEntries.push(entry);
  if (logEntries.length > LOG_LIMIT) {
    logEntries.shift();
    ui.log.firstElementChild?.remove();
  }
  ui.log.append(renderLogEntry(entry));
  ui.log.scrollTop = ui.log.scrollHeight;
}

function renderLogEntry(entry) {
  const item = document.createElement('li');
  item.dataset.direction = entry.direction;
  for (const [cls, text] of [['time', entry.time], ['dir', entry.direction], ['type', entry.type], ['info', entry.info]]) {
    const span = document.createElement('span');
    span.className = cls;
    span.textContent = text;
    item.append(span);
  }
  if (entry.body && ui.showBodies.checked) {
    const pre = document.createElement('pre');
    pre.textContent = entry.body;
    item.append(pre);
  }
  return item;
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------
// Controls

ui.ownForm.addEventListener('submit', (event) => {
  event.preventDefault();
  goOnline(ui.ownId.value.trim());
});
ui.ownRandom.addEventListener('click', () => goOnline(randomId()));
ui.callForm.addEventListener('submit', (event) => {
  event.preventDefault();
  startCall(ui.peerId.value.trim()).catch((error) => {
    logLine('!', 'call error', error.message);
    endCall(error.message, { notifyPeer: true });
  });
});
ui.hangup.addEventListener('click', () => endCall('you hung up', { notifyPeer: true }));
ui.chatForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const channel = openChannel();
  const text = ui.chatInput.value;
  if (!channel || !text) return;
  channel.send(text);
  addChat('me', text);
  ui.chatInput.value = '';
});
ui.unmute.addEventListener('click', () => ui.audio.play().then(() => { ui.unmute.hidden = true; }, () => {}));
ui.showBodies.addEventListener('change', () => ui.log.replaceChildren(...logEntries.map(renderLogEntry)));
addEventListener('pagehide', () => {
  // A reload keeps this tab's session key and so its ID; the call is dialled again after it.
  if (call) sessionStorage.setItem(REDIAL_KEY, call.peer);
  endCall('page closed', { notifyPeer: true });
});

function redialAfterReload() {
  const peer = sessionStorage.getItem(REDIAL_KEY);
  sessionStorage.removeItem(REDIAL_KEY);
  if (!peer || call || peer === client.id) return;
  logLine('•', 'redial', `calling ${peer} again after the reload`);
  startCall(peer).catch((error) => endCall(error.message, { notifyPeer: true }));
}

// A small read-only hook for the browser tests; it exposes nothing the page does not show.
window.__rendezvousDemo = {
  snapshot: () => ({
    id: client?.id ?? null,
    signaling: client?.state ?? 'idle',
    opens,
    lastClose: client?.lastClose ?? null,
    call: call ? { peer: call.peer, connectionState: call.pc.connectionState, chatOpen: Boolean(openChannel()) } : null,
    notice: ui.notice.hidden ? '' : ui.notice.textContent,
    peakMicLevel,
    chat: chatLines.slice(),
  }),
  inboundAudioPackets: async () => (call ? summarize(await call.pc.getStats()).packetsReceived : 0),
  iceServers: () => iceServers?.current ?? [],
  selectedPair: async () => (call ? summarize(await call.pc.getStats()).types : null),
};

goOnline(params.get('id') ?? localStorage.getItem(ID_KEY) ?? randomId());
renderCall();
