// One load worker in Node, for the benchmarks in bench/ (issue 13: "a load generator written in Node,
// raw websocket frames"). Python keeps the orchestration (the server, the board, the figures) and
// starts this as the worker of bench_drag.run_workers; it reads its task as one JSON line on stdin,
// says "ready" once its sockets are connected and their connect backlog is read, waits for the start
// instant, runs the load, then prints its records as one JSON line and exits.
//
// Instants are seconds on CLOCK_MONOTONIC (process.hrtime), the clock of Python's time.perf_counter:
// every process of the machine reads the same one, so a latency is an emit in one process and an
// arrival in another. Every loop is bounded in count and in time.
//
// Task: {url, tokens: [token | null], actors: {socket index: [number, card id]}, mode: "drag" | "drop" |
// "rate" | "plenary", seconds, hz, plenary?: {relay, zone, observeEvery, dropEvery}}. The plenary's
// records have the shape of bench_plenary.worker's, so the same code computes its figures.
import { createInterface } from "node:readline";
import WebSocket from "ws";

const SETTLE = 1.0; // seconds after the last emit that the worker keeps reading
const DRAIN_LIMIT = 10.0; // then up to this long more, while packets still arrive
const QUIET = 0.5; // a backlog is read once nothing came for this long
const BACKLOG_LIMIT = 60.0;
const CONNECT_AT_ONCE = 50; // sockets opening together (the server's listen backlog is finite)
const COMMAND_ID = /"command_id":\s*"(m[0-9]+-[0-9]+)"/g;

const now = () => Number(process.hrtime.bigint()) / 1e9;
const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, Math.max(0, seconds * 1000)));
let lastRead = now();

/** A Socket.IO connection reduced to frames: connect with `auth`, answer pings, hand packets to `onPacket`. */
function open(url, auth, onPacket) {
  return new Promise((resolve, reject) => {
    // A token `<board>.<secret>` names its board in the URL, as the pages do, for a proxy that routes by board.
    const board = auth && typeof auth.token === "string" && auth.token.includes(".") ? auth.token.split(".")[0] : null;
    const query = `EIO=4&transport=websocket${board ? `&board=${encodeURIComponent(board)}` : ""}`;
    const ws = new WebSocket(`${url.replace("http://", "ws://")}/socket.io/?${query}`,
      { perMessageDeflate: false });
    const timer = setTimeout(() => reject(new Error("connect timed out")), 20_000);
    let joined = false;
    ws.on("error", (error) => { if (!joined) { clearTimeout(timer); reject(error); } });
    ws.on("message", (raw) => {
      const packet = raw.toString();
      lastRead = now();
      if (packet === "2") { ws.send("3"); return; } // Engine.IO ping
      if (!joined) {
        if (packet.startsWith("0")) ws.send("40" + (auth ? JSON.stringify(auth) : ""));
        else if (packet.startsWith("40")) { joined = true; clearTimeout(timer); resolve(ws); }
        else if (packet.startsWith("44")) { clearTimeout(timer); reject(new Error(`refused: ${packet.slice(2, 200)}`)); }
        return;
      }
      onPacket(packet, lastRead);
    });
  });
}

/** Open a socket per token, CONNECT_AT_ONCE at a time; `handlerFor(index)` reads that socket's packets. */
async function connectAll(url, tokens, handlerFor) {
  const sockets = [];
  for (let first = 0; first < tokens.length; first += CONNECT_AT_ONCE) {
    const group = tokens.slice(first, first + CONNECT_AT_ONCE)
      .map((token, k) => open(url, token ? { token } : null, handlerFor(first + k)));
    sockets.push(...await Promise.all(group));
  }
  return sockets;
}

/** Say "ready" once the connect backlog is read, then wait for the start instant the parent sends back. */
async function readyThenStart(lines) {
  const connected = now();
  await waitQuiet(BACKLOG_LIMIT);
  process.stdout.write(JSON.stringify({ ready: Math.round((now() - connected) * 10) / 10 }) + "\n");
  const start = Number(await readLine(lines));
  await sleep(start - now());
  return start;
}

async function waitQuiet(limit) {
  const deadline = now() + limit;
  while (now() - lastRead < QUIET && now() < deadline) await sleep(0.1);
}

async function readLine(lines) {
  const { value, done } = await lines.next();
  if (done) throw new Error("stdin closed");
  return value;
}

async function main() {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const task = JSON.parse(await readLine(lines));
  const { url, tokens, actors, mode, seconds, hz } = task;
  if (mode === "plenary") return plenary(task, lines);
  const emits = mode === "drag" ? [] : {};
  const arrivals = [];
  const acks = {};
  const senderOf = Object.fromEntries(Object.entries(actors).map(([index, [number]]) => [index, number]));
  const pending = []; // per socket: ack id -> command id
  const onAck = []; // per socket: what the commit-rate run sends next
  const sockets = await connectAll(url, tokens, (index) => {
    pending[index] = new Map();
    return (packet, at) => {
      if (mode === "drag") {
        if (!packet.startsWith('42["dragging"')) return;
        const data = JSON.parse(packet.slice(2))[1];
        for (const position of Array.isArray(data) ? data : [data]) arrivals.push([index, position.card_id, position.x, at]);
        return;
      }
      const ack = /^43(\d+)/.exec(packet);
      if (ack) {
        const commandId = pending[index].get(Number(ack[1]));
        pending[index].delete(Number(ack[1]));
        const ok = packet.replaceAll(" ", "").includes('"ok":true');
        if (commandId !== undefined) acks[commandId] = [at, ok];
        onAck[index]?.(ok);
      } else if (mode === "drop" && packet.startsWith("42[")) {
        for (const match of packet.matchAll(COMMAND_ID)) arrivals.push([senderOf[index] ?? null, match[1], at]);
      }
    };
  });
  const start = await readyThenStart(lines);
  const cpuBefore = process.cpuUsage();

  let nextAck = 0;
  const command = (index, commandId, data) => {
    nextAck += 1;
    pending[index].set(nextAck, commandId);
    sockets[index].send(`42${nextAck}` + JSON.stringify(["command", { id: commandId, type: "move_card", data }]));
  };
  const moveData = (cardId, n) => ({ card_id: cardId, zone_id: "maintenance/techniques", x: Math.round((n % 97 + 1)) / 100, y: 0.5 });

  const runs = Object.entries(actors).map(async ([index, [number, cardId]]) => {
    const socket = sockets[Number(index)];
    if (mode === "drag" || mode === "drop") {
      const rate = mode === "drag" ? hz : 2;
      for (let n = 0; n < Math.floor(seconds * rate); n += 1) { // bounded in count, and in time by the schedule
        await sleep(start + n / rate - now());
        if (mode === "drag") {
          const x = (number * 10_000 + n) / 1_000_000; // unique and exact, as bench_drag.position_x
          emits.push([cardId, x, now()]);
          socket.send("42" + JSON.stringify(["drag", { card_id: cardId, x, y: 0.5 }]));
        } else {
          const commandId = `m${number}-${n}`;
          emits[commandId] = [number, now()];
          command(Number(index), commandId, moveData(cardId, n));
        }
      }
      return;
    }
    // "rate": back to back, each next move sent as the previous one's answer arrives (at most 1e6). A
    // refusal (the server's limit of commands per second per connection) is waited out for 20 ms, as a
    // client would, rather than answered at once with another command that would be refused too.
    let n = 0;
    const sendNext = (ok = true) => {
      if (!ok) { setTimeout(sendNext, 20); return; }
      if (now() >= start + seconds || n >= 1_000_000) { onAck[Number(index)] = null; return; }
      const commandId = `m${number}-${n}`;
      emits[commandId] = [number, now()];
      command(Number(index), commandId, moveData(cardId, n));
      n += 1;
    };
    onAck[Number(index)] = sendNext;
    sendNext();
  });
  await Promise.all(runs);
  await sleep(start + seconds + SETTLE - now());
  await waitQuiet(DRAIN_LIMIT);
  const cpu = process.cpuUsage(cpuBefore);
  for (const socket of sockets) socket.terminate();
  // Exit only once the records are written: a pipe takes 64 KB at a time, and exiting earlier cuts them.
  process.stdout.write(JSON.stringify({ emits, arrivals, acks, cpu: (cpu.user + cpu.system) / 1e6 }) + "\n",
    () => process.exit(0));
}

/** bench_plenary's load: every socket reads; each actor drags its card at `hz` and, every `dropEvery`
 * seconds (the actors' phases spread), ends the drag and drops the card with an acknowledged
 * `move_card` (on the naive relay: one more relayed position marked `drop`). */
async function plenary(task, lines) {
  const { url, tokens, actors, seconds, hz } = task;
  const { relay, zone, observeEvery, dropEvery } = task.plenary;
  const record = { drag_emits: [], drag_keys: [], drag_times: [], drops: [], seen: [], acks: [], asked: 0 };
  const ackArrivals = new Map();
  const onPacket = (index) => (packet, at) => {
    if (packet.startsWith('42["dragging"')) {
      const observed = index % observeEvery === 0;
      if (!observed && !packet.includes('"drop"')) return;
      const data = JSON.parse(packet.slice(2))[1];
      for (const position of Array.isArray(data) ? data : [data]) {
        if (position.drop) record.seen.push([index, position.card_id, position.x, at]);
        else if (observed) { record.drag_keys.push(Math.round(position.x * 1_000_000)); record.drag_times.push(at); }
      }
    } else if ((packet.startsWith('42["event"') || packet.startsWith('42["events"')) && packet.includes('"card_moved"')) {
      const message = JSON.parse(packet.slice(2))[1];
      for (const event of Array.isArray(message) ? message : [message]) {
        if (event.type === "card_moved") record.seen.push([index, event.data.card_id, event.data.x, at]);
      }
    } else if (packet.startsWith("43")) {
      ackArrivals.set(Number(packet.slice(2, packet.indexOf("["))), at);
    }
  };
  const sockets = await connectAll(url, tokens, onPacket);
  const start = await readyThenStart(lines);
  const cpuBefore = process.cpuUsage();
  const ackSent = new Map();
  const perDrop = Math.round(dropEvery * hz);
  const count = Object.keys(actors).length;
  await Promise.all(Object.entries(actors).map(async ([index, [dragger, cardId]]) => {
    const socket = sockets[Number(index)];
    const phase = Math.floor(dragger * perDrop / Math.max(count, 1)); // the draggers drop at different instants
    for (let n = 0; n < Math.floor(seconds * hz); n += 1) { // bounded in count, and in time by the schedule
      await sleep(start + n / hz - now());
      const x = (dragger * 10_000 + n) / 1_000_000; // as bench_drag.position_x
      record.drag_emits.push([Math.round(x * 1_000_000), now()]);
      socket.send("42" + JSON.stringify(["drag", { card_id: cardId, zone_id: zone, x, y: 0.5 }]));
      if ((n + phase) % perDrop !== perDrop - 1) continue;
      const dropX = 0.5 + x; // unique, and never a drag position (those are below 0.5)
      const sent = now();
      record.drops.push([Number(index), cardId, dropX, sent]);
      if (relay) {
        socket.send("42" + JSON.stringify(["drag", { card_id: cardId, x: dropX, y: 0.5, drop: true }]));
        continue;
      }
      socket.send("42" + JSON.stringify(["drag", { card_id: cardId, zone_id: zone, x, y: 0.5, active: false }]));
      const ackId = dragger * 10_000 + n;
      ackSent.set(ackId, sent);
      socket.send(`42${ackId}` + JSON.stringify(["command", { id: `plenary-${ackId}`, type: "move_card",
        data: { card_id: cardId, zone_id: zone, x: dropX, y: 0.5 } }]));
    }
  }));
  await sleep(start + seconds + SETTLE - now());
  await waitQuiet(DRAIN_LIMIT);
  const cpu = process.cpuUsage(cpuBefore);
  for (const socket of sockets) socket.terminate();
  for (const [ackId, sent] of ackSent) {
    if (ackArrivals.has(ackId)) record.acks.push((ackArrivals.get(ackId) - sent) * 1000);
  }
  record.asked = ackSent.size;
  record.cpu = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(JSON.stringify(record) + "\n", () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
