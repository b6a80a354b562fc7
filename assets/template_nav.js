// The Jinja pages' phone navbar: the toggler opens and closes the menu (Bootstrap's own JS is not loaded).
document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-nav-toggle]").forEach(function (button) {
        var menu = document.getElementById(button.getAttribute("aria-controls"));
        button.addEventListener("click", function () {
            var open = menu.classList.toggle("show");
            button.setAttribute("aria-expanded", open ? "true" : "false");
        });
    });
});
