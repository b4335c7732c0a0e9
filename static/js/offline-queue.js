// The offline queue (issue 15): what a patient logs without a connection waits in
// IndexedDB, scoped to their account, and is sent once, in order, each entry with its own
// Idempotency-Key (a UUID made on the phone), so a retry after a lost answer writes nothing
// twice. Used by the pages (offline.js) and by the service worker (sw.js, Background Sync).
(function (scope) {
  "use strict";
  var DB = "spasm-offline";
  var LOCK = "spasm-sync";
  var ENDPOINTS = {
    episode: function () { return ["POST", "/api/episodes/"]; },
    "red-flags": function (entry) { return ["POST", "/api/episodes/" + entry.episode + "/red-flags/"]; },
    severity: function (entry) { return ["PATCH", "/api/episodes/" + entry.episode + "/"]; },
    end: function (entry) { return ["POST", "/api/episodes/" + entry.episode + "/end/"]; },
    checkin: function () { return ["POST", "/api/checkins/"]; },
  };
  // The server said no: the patient decides what to do with the entry.
  var REFUSED = [400, 404, 409];

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("queue", { keyPath: "key" }).createIndex("user", "user");
        db.createObjectStore("meta", { keyPath: "name" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // One small transaction per call; it resolves once the write is on disk.
  function run(store, mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(store, mode);
        var request = action(transaction.objectStore(store));
        transaction.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        transaction.onerror = transaction.onabort = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function uuid() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID();
    var bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  var lastCreated = 0;
  function add(fields) {
    // Strictly increasing, so the order survives two taps in one millisecond.
    lastCreated = Math.max(Date.now(), lastCreated + 1);
    var entry = Object.assign({ key: uuid(), created: lastCreated, status: "waiting" }, fields);
    return run("queue", "readwrite", function (store) { return store.put(entry); }).then(function () { return entry; });
  }

  function put(entry) {
    return run("queue", "readwrite", function (store) { return store.put(entry); });
  }

  function get(key) {
    return run("queue", "readonly", function (store) { return store.get(key); });
  }

  function remove(key) {
    return run("queue", "readwrite", function (store) { return store.delete(key); });
  }

  function list(user) {
    return run("queue", "readonly", function (store) { return store.index("user").getAll(String(user)); })
      .then(function (entries) { return entries.sort(function (a, b) { return a.created - b.created; }); });
  }

  function getMeta(name) {
    return run("meta", "readonly", function (store) { return store.get(name); })
      .then(function (row) { return row ? row.value : undefined; });
  }

  function setMeta(name, value) {
    return run("meta", "readwrite", function (store) { return store.put({ name: name, value: value }); });
  }

  // Log out: nothing of anyone stays on the phone.
  function clearAll() {
    return run("queue", "readwrite", function (store) { return store.clear(); })
      .then(function () { return run("meta", "readwrite", function (store) { return store.clear(); }); });
  }

  function errorText(data) {
    if (!data || typeof data !== "object") return "";
    if (data.detail) return String(data.detail);
    return Object.keys(data).map(function (field) {
      var value = data[field];
      return Array.isArray(value) ? value.join(" ") : String(value);
    }).join(" ");
  }

  function send(entry, csrf) {
    var headers = { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf || "" };
    // The other writes give the same result when repeated: no key needed.
    if (entry.kind === "episode" || entry.kind === "checkin") headers["Idempotency-Key"] = entry.key;
    var endpoint = ENDPOINTS[entry.kind](entry);
    return fetch(endpoint[1], {
      method: endpoint[0],
      credentials: "same-origin",
      headers: headers,
      body: JSON.stringify(entry.body),
    });
  }

  /* Send the account's waiting entries in order. Answers:
     {sent: [{entry, data}], refused: [entry], stopped: null | "offline" | "signed-out" | "server"}
     1. An answer that never arrives (no network, dropped) stops the run: the entry stays and
        is sent again later with the same key, and the server answers what it answered first.
     2. 400, 404, 409: the entry is marked refused, kept, and shown; the run goes on.
     3. 401, 403: the session is gone; 5xx, 429: the server is busy. Both stop the run. */
  async function syncEntries(user, csrf) {
    var result = { sent: [], refused: [], stopped: null };
    var entries = (await list(user)).filter(function (entry) { return entry.status === "waiting"; });
    for (var index = 0; index < entries.length; index++) {
      var entry = entries[index];
      var response;
      try {
        response = await send(entry, csrf);
      } catch (error) {
        result.stopped = "offline";
        break;
      }
      var data = await response.json().catch(function () { return {}; });
      if (response.ok) {
        await remove(entry.key);
        if (entry.kind === "episode") {
          await setMeta("sent:" + entry.key, data.id);
          if (entry.answered) {
            // "None of these" is an answer too: record it as the episode page would.
            var answer = await add({ user: entry.user, kind: "red-flags", episode: data.id, body: { red_flags: entry.body.red_flags || [] }, created: entry.created });
            entries.splice(index + 1, 0, answer);
          }
        }
        result.sent.push({ entry: entry, data: data });
      } else if (REFUSED.indexOf(response.status) !== -1) {
        entry.status = "refused";
        entry.error = errorText(data);
        entry.ongoing = data.ongoing_episode || null;
        await put(entry);
        result.refused.push(entry);
      } else {
        result.stopped = response.status === 401 || response.status === 403 ? "signed-out" : "server";
        break;
      }
    }
    return result;
  }

  // One run at a time across this origin's tabs and its service worker.
  function sync(user) {
    var go = function () {
      return getMeta("csrf:" + user).then(function (csrf) { return syncEntries(String(user), csrf); });
    };
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(LOCK, go) : go();
  }

  scope.SpasmQueue = {
    add: add, put: put, get: get, remove: remove, list: list,
    getMeta: getMeta, setMeta: setMeta, clearAll: clearAll, sync: sync,
  };
})(self);
