"""Fixed option lists shared by page layouts and their callbacks (a commodity's own series come from its declaration)."""

# The ENSO shading toggle of production charts (in the URL as enso=shade only when on).
SHADE_OPTIONS = [{"label": "No shading", "value": "off"},
                 {"label": "Shade El Niño / La Niña years", "value": "shade"}]
