"""Call Dash callbacks over HTTP the way dash-renderer does: /_dash-dependencies, /_dash-update-component."""
import json

ROUTER_OUTPUT = "_pages_content"
ROUTER_LOCATION = "_pages_location"


def _parse_id(text):
    """Return a component id from its callback-key form (JSON for pattern ids)."""
    text = text.replace("\\.", ".")
    return json.loads(text) if text.startswith("{") else text


def outputs_of(spec):
    """Return [{'id', 'property'}] of a callback spec from /_dash-dependencies."""
    key = spec["output"]
    if spec.get("no_output"):
        return []
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    outputs = []
    for part in parts:
        component_id, prop = part.rsplit(".", 1)
        outputs.append({"id": _parse_id(component_id), "property": prop.split("@")[0]})
    return outputs


def component_ids(spec):
    """Return every component id a callback spec writes, reads or keeps as state."""
    ids = [o["id"] for o in outputs_of(spec)]
    ids += [_parse_id(i["id"]) for i in spec["inputs"] + spec["state"]]
    return ids


def is_pattern(spec):
    """Return True when a callback uses pattern-matching ids."""
    return any(isinstance(i, dict) for i in component_ids(spec))


def find(dependencies, output_id, output_prop=None):
    """Return the server-side spec among dependencies that writes output_id (and output_prop)."""
    for spec in dependencies:
        if spec.get("clientside_function"):
            continue
        for out in outputs_of(spec):
            if out["id"] == output_id and (output_prop is None or out["property"] == output_prop):
                return spec
    raise LookupError(f"no callback writes {output_id}.{output_prop}")


def body(spec, values=None, changed=None):
    """Return the JSON body dash-renderer would POST for spec with {(id, prop): value} (missing ones None)."""
    values = values or {}

    def item(dep):
        component_id = _parse_id(dep["id"])
        if isinstance(component_id, dict):
            return []  # no matching components: an empty wildcard list
        return {"id": component_id, "property": dep["property"], "value": values.get((component_id, dep["property"]))}

    outputs = outputs_of(spec)
    inputs = [item(d) for d in spec["inputs"]]
    state = [item(d) for d in spec["state"]]
    first = next((i for i in inputs if isinstance(i, dict)), None)
    if changed is None:
        changed = [f"{first['id']}.{first['property']}"] if first else []
    return {
        "output": spec["output"],
        "outputs": outputs if spec["output"].startswith("..") else (outputs[0] if outputs else []),
        "inputs": inputs,
        "state": state,
        "changedPropIds": changed,
    }


def response_props(payload):
    """Return {(id, prop): value} from a callback response payload."""
    return {(cid, prop): value for cid, props in payload.get("response", {}).items() for prop, value in props.items()}


def walk_props(layout, found=None):
    """Return {component id: props} for every component with an id in a layout JSON tree."""
    found = {} if found is None else found
    if isinstance(layout, list):
        for child in layout:
            walk_props(child, found)
    elif isinstance(layout, dict):
        props = layout.get("props")
        if isinstance(props, dict) and "type" in layout:
            if "id" in props and isinstance(props["id"], (str, dict)):
                found[json.dumps(props["id"], sort_keys=True) if isinstance(props["id"], dict) else props["id"]] = props
            for value in props.values():
                walk_props(value, found)
        else:
            for value in layout.values():
                walk_props(value, found)
    return found


class DashClient:
    """A requests.Session talking to the Dash endpoints of one server."""

    def __init__(self, session, base_url):
        self.session, self.base_url = session, base_url
        self._dependencies = None

    def dependencies(self):
        """Return the callback specs the server declares (fetched once)."""
        if self._dependencies is None:
            response = self.session.get(self.base_url + "/_dash-dependencies", timeout=30)
            response.raise_for_status()
            self._dependencies = response.json()
        return self._dependencies

    def find(self, output_id, output_prop=None):
        """Return the spec of the callback writing output_id (and output_prop)."""
        return find(self.dependencies(), output_id, output_prop)

    def post(self, payload):
        """POST a callback body with the session's CSRF cookie as X-CSRFToken."""
        headers = {"X-CSRFToken": self.session.cookies.get("_csrf_token") or ""}
        return self.session.post(self.base_url + "/_dash-update-component", json=payload, headers=headers, timeout=60)

    def call(self, output_id, values=None, changed=None, output_prop=None):
        """Call the callback writing output_id with values {(id, prop): value}; return the response."""
        return self.post(body(self.find(output_id, output_prop), values, changed))

    def router(self, pathname, search=""):
        """Ask Dash's page router for the layout of pathname with a query string."""
        values = {(ROUTER_LOCATION, "pathname"): pathname, (ROUTER_LOCATION, "search"): search}
        return self.call(ROUTER_OUTPUT, values)

    def page_props(self, pathname, search=""):
        """Return {component id: props} of the page the router renders for pathname and search."""
        response = self.router(pathname, search)
        response.raise_for_status()
        return walk_props(response.json()["response"][ROUTER_OUTPUT]["children"])


def drawn_body(client, path, output_id, output_prop="figure"):
    """Return the body of a chart callback as a Flask test client's page at path draws it on load."""
    client.get(path)
    props = walk_props(client.get("/_dash-layout", headers={"Referer": f"http://localhost{path}"}).get_json())
    spec = find(client.get("/_dash-dependencies").get_json(), output_id, output_prop)
    return body(spec, {(i["id"], i["property"]): props[i["id"]][i["property"]] for i in spec["inputs"]})
