// Dark mode: Bootstrap 5.3's data-bs-theme on <html>, from the choice kept in localStorage, else
// the system's prefers-color-scheme. Any [data-theme-toggle] button flips and keeps the choice.
// The Jinja templates load this file in <head> (no flash of the light theme); Dash loads it again.
(function () {
    if (window.beanflowsTheme) {
        return;
    }
    var KEY = "beanflows-theme";
    var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
    var listeners = [];

    function stored() {
        try {
            var value = window.localStorage.getItem(KEY);
            return value === "dark" || value === "light" ? value : null;
        } catch (e) {
            return null;  // storage blocked: follow the system
        }
    }

    function current() {
        return stored() || (media && media.matches ? "dark" : "light");
    }

    function markToggles(theme) {
        document.querySelectorAll("[data-theme-toggle]").forEach(function (button) {
            button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
        });
    }

    function apply(theme) {
        var root = document.documentElement;
        root.setAttribute("data-bs-theme", theme);
        // AG Grid's themes follow the same switch.
        root.setAttribute("data-ag-theme-mode", theme);
        markToggles(theme);
        listeners.forEach(function (listener) { listener(theme); });
    }

    window.beanflowsTheme = {
        current: current,
        onChange: function (listener) { listeners.push(listener); },
        set: function (theme) {
            try {
                window.localStorage.setItem(KEY, theme);
            } catch (e) { /* not kept: still applied */ }
            apply(theme);
        }
    };
    apply(current());
    if (media && media.addEventListener) {
        media.addEventListener("change", function () {
            if (!stored()) {
                apply(current());
            }
        });
    }
    document.addEventListener("click", function (event) {
        var button = event.target.closest ? event.target.closest("[data-theme-toggle]") : null;
        if (button) {
            window.beanflowsTheme.set(current() === "dark" ? "light" : "dark");
        }
    });
    // Toggles drawn after this ran (Dash renders its navbar later) get their state too, checked once a frame.
    var queued = false;
    function markStale() {
        queued = false;
        var theme = current();
        var stale = document.querySelector("[data-theme-toggle]:not([aria-pressed='" +
                                           (theme === "dark" ? "true" : "false") + "'])");
        if (stale) {
            markToggles(theme);
        }
    }
    new MutationObserver(function () {
        if (!queued) {
            queued = true;
            window.requestAnimationFrame(markStale);
        }
    }).observe(document.documentElement, {childList: true, subtree: true});
})();
