/* Roll call's service worker: keeps the roll-call pages of a session and the site's static
   files, so that a trainer who opened the roll call online can reload it and change day without
   a network. Pages are fetched from the network first (the roll changes), and the cached copy is
   used only when the network fails; static files are served from the cache and refreshed behind.
   Served at /roll-call-sw.js by app/attendance/views.py, registered by roll-call.js. */
"use strict";

var CACHE = "roll-call-v1";
var ROLL_PAGE = /^\/training-sessions\/\d+\/attendance(\/\d{4}-\d{2}-\d{2})?$/;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf("roll-call-") === 0 && name !== CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function localToday() {
  var now = new Date();
  var pad = function (n) {
    return (n < 10 ? "0" : "") + n;
  };
  return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
}

/* The page without a day redirects to today's; offline, answer with today's copy, else the
   first day kept for that session. */
function dayPage(cache, path) {
  return cache.match(path + "/" + localToday()).then(function (hit) {
    if (hit) {
      return hit;
    }
    return cache.keys().then(function (requests) {
      var prefix = self.location.origin + path + "/";
      var kept = requests
        .map(function (request) {
          return request.url;
        })
        .filter(function (url) {
          return url.indexOf(prefix) === 0;
        })
        .sort();
      return kept.length ? cache.match(kept[0]) : Response.error();
    });
  });
}

function rollPage(request, path) {
  return fetch(request)
    .then(function (response) {
      // A redirect (to log in, or to today's page) is never kept in place of the page.
      if (response.ok && !response.redirected && response.type === "basic") {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) {
          cache.put(path, copy);
        });
      }
      return response;
    })
    .catch(function () {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(path).then(function (hit) {
          return hit || dayPage(cache, path);
        });
      });
    });
}

function staticFile(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      var fresh = fetch(request)
        .then(function (response) {
          if (response.ok) {
            cache.put(request, response.clone());
          }
          return response;
        })
        .catch(function () {
          return hit || Response.error();
        });
      return hit || fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && ROLL_PAGE.test(url.pathname)) {
    event.respondWith(rollPage(request, url.pathname));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(request));
  }
});
