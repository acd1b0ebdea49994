"""Independent check of seqport's vCards with Python's vobject (run by VCardInteropTests).

  vobject_check.py read FILE   -> JSON: every card as vobject parses it
  vobject_check.py write FILE  -> writes a 3.0 vCard with vobject; prints JSON of what it holds
"""
import base64, json, sys
import vobject

N_PARTS = ["family", "given", "additional", "prefix", "suffix"]
ADR_PARTS = ["box", "extended", "street", "city", "region", "code", "country"]

def as_list(v):
    return v if isinstance(v, list) else [v]

def describe(comp):
    out = []
    for c in comp.getChildren():
        if c.name == "VERSION":
            continue
        v = c.value
        if c.name == "N":
            value = [as_list(getattr(v, p)) for p in N_PARTS]
        elif c.name == "ADR":
            value = [as_list(getattr(v, p)) for p in ADR_PARTS]
        elif isinstance(v, bytes):
            value = {"base64": base64.b64encode(v).decode()}
        else:
            value = v
        params = {k.upper(): [str(x) for x in vals] for k, vals in c.params.items()}
        out.append({"group": c.group, "name": c.name.upper(), "params": params, "value": value})
    return out

def read(path):
    text = open(path, encoding="utf-8", newline="").read()
    print(json.dumps([describe(comp) for comp in vobject.readComponents(text)], ensure_ascii=False))

def write(path):
    card = vobject.vCard()
    card.add("fn").value = "Zoë O'Brien, \"Z\"; back\\slash\nnew line 😀 שלום"
    card.add("n").value = vobject.vcard.Name(family="O'Brien, Jr.", given="Zoë", additional=["A", "B"])
    tel = card.add("tel"); tel.value = "+353 1 234 5678"; tel.type_param = "CELL"
    e1 = card.add("email"); e1.value = "zoe@example.ie"; e1.type_paramlist = ["INTERNET", "HOME", "pref"]
    e2 = card.add("email"); e2.value = "zoe@work.example.com"; e2.type_param = "WORK"
    card.add("note").value = "a, b; c \\ d\ne"
    card.add("x-custom").value = "custom value"
    adr = card.add("adr"); adr.value = vobject.vcard.Address(street="Main St 1, Apt 2", city="Dublin", country="Ireland")
    photo = card.add("photo"); photo.encoding_param = "b"; photo.type_param = "PNG"; photo.value = bytes(range(256))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(card.serialize())
    print(json.dumps([describe(card)], ensure_ascii=False))

if __name__ == "__main__":
    {"read": read, "write": write}[sys.argv[1]](sys.argv[2])
