// Names and roles Dash's own components leave out, filled in the browser from the page's labels
// (each filter's <label for=...> names it). Re-run whenever Dash draws or redraws its components.
(function () {
    function labelText(id) {
        var label = id && document.querySelector("label[for='" + CSS.escape(id) + "']");
        return label ? label.textContent.trim() : "";
    }

    function labelId(id) {
        var label = id && document.querySelector("label[for='" + CSS.escape(id) + "']");
        if (!label) {
            return null;
        }
        if (!label.id) {
            label.id = id + "-label";
        }
        return label.id;
    }

    function setOnce(element, name, value) {
        if (value && element.getAttribute(name) !== value) {
            element.setAttribute(name, value);
        }
    }

    // Radio items: a radio group of native radios, not a listbox of options holding radios.
    function radioGroups() {
        document.querySelectorAll(".dash-radioitems[role='listbox'], .dash-radioitems:not([role])").forEach(function (group) {
            setOnce(group, "role", "radiogroup");
            setOnce(group, "aria-labelledby", labelId(group.id));
        });
        document.querySelectorAll(".dash-radioitems > label[role], .dash-radioitems > label[aria-selected]").forEach(function (option) {
            option.removeAttribute("role");
            option.removeAttribute("aria-selected");
        });
    }

    // Dropdowns: the button takes the tab stop from the hidden focus target (which screen readers
    // were told to skip while keyboards still reached it). Its <label for> names it; what it shows
    // (clipped when many are chosen) describes it.
    function dropdowns() {
        document.querySelectorAll(".dash-dropdown-wrapper").forEach(function (wrapper) {
            var target = wrapper.querySelector(".dash-dropdown-focus-target");
            var button = wrapper.querySelector("button.dash-dropdown");
            if (!button) {
                return;
            }
            if (target) {
                setOnce(target, "tabindex", "-1");
            }
            setOnce(button, "tabindex", "0");
            if (labelText(button.id)) {
                button.removeAttribute("aria-labelledby");
                var shown = ["-value-count", "-value"].map(function (suffix) { return button.id + suffix; })
                    .filter(function (id) { return document.getElementById(id); });
                setOnce(button, "aria-describedby", shown.join(" "));
            }
        });
    }

    // Sliders: the typed year boxes and single-value handles get the filter's name.
    function sliders() {
        document.querySelectorAll(".dash-slider-container[id]").forEach(function (slider) {
            var name = labelText(slider.id);
            if (!name) {
                return;
            }
            var low = slider.querySelector(".dash-range-slider-min-input");
            var high = slider.querySelector(".dash-range-slider-max-input");
            if (low) {
                setOnce(low, "aria-label", name + ", from");
            }
            if (high) {
                setOnce(high, "aria-label", name + ", to");
            }
            slider.querySelectorAll("input.dash-range-slider-input:not(.dash-range-slider-min-input):not(.dash-range-slider-max-input)")
                .forEach(function (input) { setOnce(input, "aria-label", name); });
            slider.querySelectorAll("[role='slider']:not([aria-label])").forEach(function (thumb) {
                thumb.setAttribute("aria-label", name);
            });
        });
    }

    var queued = false;
    function fix() {
        queued = false;
        radioGroups();
        dropdowns();
        sliders();
    }
    new MutationObserver(function () {
        if (!queued) {
            queued = true;
            window.requestAnimationFrame(fix);
        }
    // Dash sets some of these attributes again when a value changes.
    }).observe(document.documentElement, {childList: true, subtree: true, attributes: true,
                                          attributeFilter: ["role", "aria-selected", "aria-hidden", "tabindex",
                                                            "aria-labelledby"]});
    fix();
})();
