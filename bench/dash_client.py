"""Build Dash callback requests the way dash-renderer does, from /_dash-dependencies."""


def outputs_of(key):
    """Return the [{id, property}] outputs named by a callback map key."""
    multi = key.startswith("..")
    parts = key.strip(".").split("...") if multi else [key]
    outputs = []
    for part in parts:
        component, prop = part.rsplit(".", 1)
        outputs.append({"id": component, "property": prop})
    return outputs if multi else outputs[0]


def find(dependencies, output_id, prop=None):
    """Return the dependency entry whose outputs include output_id (and prop)."""
    for entry in dependencies:
        outputs = outputs_of(entry["output"])
        for out in outputs if isinstance(outputs, list) else [outputs]:
            if out["id"] == output_id and (prop is None or out["property"] == prop):
                return entry
    raise KeyError(f"no callback outputs {output_id}.{prop}")


def body(entry, values, changed=None):
    """Return the JSON body for a callback entry given {(id, prop): value} (missing ones are None)."""
    def items(specs):
        return [{"id": s["id"], "property": s["property"], "value": values.get((s["id"], s["property"]))}
                for s in specs]

    inputs = items(entry["inputs"])
    changed = changed or [f"{i['id']}.{i['property']}" for i in inputs]
    return {"output": entry["output"], "outputs": outputs_of(entry["output"]), "inputs": inputs,
            "state": items(entry.get("state", [])), "changedPropIds": changed}


def response_props(payload):
    """Return {(id, prop): value} from a callback response payload."""
    return {(cid, prop): value for cid, props in payload.get("response", {}).items() for prop, value in props.items()}
