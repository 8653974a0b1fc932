#!/usr/bin/env python3
"""Synthetic grounded corpus for the HalluScope demo, in RAGTruth format.

Every source describes one invented company (founder, chief executive, city, year, staff count,
revenue, product, a plant opening) in a short context. Three task types, as in RAGTruth:
  QA        "Context: ...\\nQuestion: ...\\nAnswer:"
  Summary   "Context: ...\\nInstruction: ...\\nSummary:"
  Data2txt  "Data: {python dict}\\nInstruction: ...\\nOverview:"
A faithful response copies facts verbatim from the context. A hallucinated response is the same
kind of text with 1-2 facts replaced by plausible values that occur nowhere in the prompt
("Evident Conflict": the context states another value), or with an added fact about an attribute
the context does not mention ("Evident Baseless Info"). Only the planted value is labelled.
Responses start with a space; the engine feeds BOS + prompt + response.

Deterministic: the same --seed gives byte-identical files (Python 3.11 stdlib only).

  python3 tools/demo/make_corpus.py --seed 1234 --out-test resources/demo/data [--out-train DIR]
"""
import argparse
import json
import os
import random
import re

# ---------------------------------------------------------------- vocabulary (ASCII only)
FIRST = """Maria Tom Anna James Sofia Lucas Elena David Nina Omar Clara Peter Laura Ivan Julia Marco
Sara Hugo Alice Victor Irene Felix Rosa Daniel Helen Samuel Grace Oscar Lena Martin Eva Paul Mila
Robert Nora Adrian Hannah Leon Chloe Simon Ruth Karl Diana Tobias Marta Andre Vera Hector Ines
Jonas Olga George Petra Emil Lucia Frank Alma Stefan Tessa Ravi""".split()
LAST = """Lopez Becker Novak Russo Moreau Jensen Silva Kowalski Fischer Ortiz Haas Marsh Petrov Lindqvist
Costa Brennan Duval Okafor Weber Santos Keller Nakamura Varga Holm Ferreira Quinn Albers Rossi
Dubois Stone Meyer Carver Ibsen Tanaka Horvat Walsh Baker Romero Engel Falk Grant Hale Kruger
Lund Mendes Nolan Pratt Reyes Sauer Thorne Ulrich Vogel Wolff Young Zeller Barros Crane Dalton
Ellis Farrow""".split()
CO_A = """Cedar Falcon Harbor Summit Granite Silver Northwind Bluewater Ironbridge Redwood Sunline
Maple Orbit Beacon Crescent Evergreen Highland Keystone Lakeside Meridian Pinecrest Quarry
Riverbend Stonegate Tidewater Westfield Copper Aurora Bramble Clearview""".split()
CO_B = """Robotics Foods Motors Energy Logistics Textiles Labs Systems Pharma Media Optics Materials
Devices Brewing Aerospace Marine Software Instruments Ceramics Apparel""".split()
CITIES = """Lyon Porto Leeds Graz Turin Malmo Gdansk Bilbao Utrecht Bergen Ghent Brno Cork Tampere
Seville Dresden Krakow Aarhus Basel Bologna Nantes Leipzig Valencia Rotterdam Salzburg Tallinn
Riga Vilnius Zagreb Ljubljana Geneva Lisbon Dublin Oslo Helsinki Prague Vienna Munich Hamburg
Bremen Kassel Odense Uppsala Lille Toulouse Bordeaux Genoa Verona Padua Split Plovdiv Debrecen
Kosice Cluj Sibiu Tartu Espoo Lahti Turku Galway""".split()
PRODUCTS = """electric bikes|solar panels|coffee machines|wind turbines|hearing aids|farm drones|water
filters|office chairs|ski boots|kitchen knives|guitar strings|smart meters|bicycle helmets|garden
tools|heat pumps|running shoes|baby strollers|camping stoves|fishing rods|desk lamps|air purifiers|
sewing machines|snow tyres|pocket radios|rain jackets|ceramic tiles|paper towels|frozen pizzas|
canned soups|dog food|medical gloves|phone cases|car batteries|glass bottles|wooden toys|yoga mats|
printer ink|steel pipes|marine paint|solar lamps""".replace("\n", " ").split("|")
PRODUCTS = [p.strip() for p in PRODUCTS]
MONTHS = """January February March April May June July August September October November
December""".split()

SLOTS = ["founder", "ceo", "city", "year", "employees", "revenue", "product", "plant_city", "date"]
NAME_SLOTS = {"founder", "ceo"}
# Optional facts: each groups the slots one context sentence states.
FACTS = {"founded": ["founder", "year"], "ceo": ["ceo"], "employees": ["employees"],
         "revenue": ["revenue"], "plant": ["plant_city", "date"]}

# ---------------------------------------------------------------- context sentences
CTX_INTRO = ["{company} is a company based in {city} that makes {product}.",
             "{company}, based in {city}, makes {product}.",
             "Based in {city}, {company} is a maker of {product}."]
CTX = {"founded": ["It was founded in {year} by {founder}.",
                   "{founder} founded the company in {year}.",
                   "The firm was started by {founder} in {year}."],
       "ceo": ["Its chief executive is {ceo}.",
               "The company is led by chief executive {ceo}.",
               "{ceo} serves as its chief executive."],
       "employees": ["The company employs {employees} people.",
                     "It has {employees} employees.",
                     "Its staff numbers {employees} people."],
       "revenue": ["Last year it reported revenue of ${revenue} million.",
                   "Its revenue last year was ${revenue} million.",
                   "It earned ${revenue} million in revenue last year."],
       "plant": ["On {date}, it opened a new plant in {plant_city}.",
                 "The firm opened a new plant in {plant_city} on {date}.",
                 "A new plant in {plant_city} opened on {date}."]}
CTX_RIVAL = ["Its main rival, {rival}, is based in {rival_city}.",
             "A competitor, {rival}, also operates from {rival_city}.",
             "{rival}, a rival firm, has its offices in {rival_city}."]

# ---------------------------------------------------------------- response sentences (faithful)
# Each entry: (needed fact groups, template). "intro" = always available.
RESP_INTRO = [" {company} is a {city} company that makes {product}.",
              " Based in {city}, {company} makes {product}.",
              " {company} makes {product} and is based in {city}.",
              " {company}, a maker of {product}, is based in {city}."]
RESP_MORE = {"founded": [" It was founded by {founder} in {year}.",
                         " {founder} founded it in {year}.",
                         " The company was started in {year} by {founder}."],
             "ceo": [" Its chief executive is {ceo}.", " {ceo} leads the company as chief executive.",
                     " The firm is run by {ceo}."],
             "employees": [" It employs {employees} people.", " The firm has {employees} employees.",
                           " Its staff numbers {employees}."],
             "revenue": [" It reported revenue of ${revenue} million last year.",
                         " Last year it earned ${revenue} million.",
                         " Its revenue was ${revenue} million last year."],
             "plant": [" On {date} it opened a plant in {plant_city}.",
                       " It opened a new plant in {plant_city} on {date}.",
                       " A plant in {plant_city} followed on {date}."]}
QA = {"founder": (["Who founded {company}?", "Who started {company}?"],
                  [" {company} was founded by {founder}.", " It was founded by {founder}.",
                   " {founder} founded {company}."]),
      "year": (["When was {company} founded?", "In what year was {company} founded?"],
               [" {company} was founded in {year}.", " It was founded in {year}.",
                " {company} was started in {year} by {founder}."]),
      "city": (["Where is {company} based?", "In which city is {company} based?"],
               [" {company} is based in {city}.", " It is based in {city}.",
                " {company} has its base in {city}."]),
      "product": (["What does {company} make?", "What products does {company} make?"],
                  [" {company} makes {product}.", " It makes {product}.",
                   " {company} is a maker of {product}."]),
      "ceo": (["Who is the chief executive of {company}?", "Who leads {company}?"],
              [" The chief executive is {ceo}.", " {company} is led by {ceo}.",
               " {ceo} is the chief executive of {company}."]),
      "employees": (["How many people does {company} employ?", "How many employees does {company} have?"],
                    [" {company} employs {employees} people.", " It has {employees} employees.",
                     " The company employs {employees} people."]),
      "revenue": (["What revenue did {company} report last year?", "How much did {company} earn last year?"],
                  [" It reported revenue of ${revenue} million.", " {company} earned ${revenue} million.",
                   " Its revenue was ${revenue} million last year."]),
      "plant_city": (["Where did {company} open its new plant?", "In which city is the new plant of {company}?"],
                     [" It opened its new plant in {plant_city} on {date}.", " The new plant is in {plant_city}.",
                      " {company} opened a plant in {plant_city}."]),
      "date": (["When did {company} open its new plant?", "On what date did {company} open its plant?"],
               [" It opened the plant on {date}.", " The plant in {plant_city} opened on {date}.",
                " {company} opened it on {date}."])}
QA_NEEDS = {"founder": "founded", "year": "founded", "city": None, "product": None, "ceo": "ceo",
            "employees": "employees", "revenue": "revenue", "plant_city": "plant", "date": "plant"}
SUM_INSTR = ["Summarize the passage in one or two sentences.", "Write a short summary of the passage.",
             "Summarize the text above briefly."]
D2T_INSTR = ["Write a short overview of this company based only on the data.",
             "Describe the company in two or three sentences using only the data.",
             "Write a brief objective overview of the company from the data."]
D2T_KEYS = {"founder": "founder", "year": "founded", "ceo": "ceo", "employees": "employees",
            "revenue": "revenue_musd", "plant_city": "new_plant_city", "date": "new_plant_opened"}

TEMPLATE_RE = re.compile(r"\{(\w+)\}")


# ---------------------------------------------------------------- helpers
def words(text):
    return set(re.findall(r"[A-Za-z]+|[0-9]+", text))


def fmt_date(rng):
    return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2012, 2024)}"


def draw_value(slot, rng, w):
    """A random value for a slot; w = the world (for plausibility ranges)."""
    if slot in NAME_SLOTS:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if slot in ("city", "plant_city"):
        return rng.choice(CITIES)
    if slot == "year":
        return str(rng.randint(1950, 2011))
    if slot == "employees":
        return str(rng.choice([rng.randint(40, 990), rng.randint(1000, 9900)]))
    if slot == "revenue":
        return str(rng.randint(12, 980))
    if slot == "product":
        return rng.choice(PRODUCTS)
    if slot == "date":
        return fmt_date(rng)
    raise KeyError(slot)


def render(template, values):
    """Fill a {slot} template. Returns (text, spans) with spans = [(start, end, slot)]."""
    out, spans, pos = [], [], 0
    n = 0
    for m in TEMPLATE_RE.finditer(template):
        lit = template[pos:m.start()]
        out.append(lit)
        n += len(lit)
        val = values[m.group(1)]
        if m.group(1) != "company":
            spans.append((n, n + len(val), m.group(1)))
        out.append(val)
        n += len(val)
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def make_world(rng):
    w = {"company": f"{rng.choice(CO_A)} {rng.choice(CO_B)}"}
    for s in SLOTS:
        w[s] = draw_value(s, rng, w)
    while w["ceo"].split()[1] == w["founder"].split()[1] or w["ceo"].split()[0] == w["founder"].split()[0]:
        w["ceo"] = draw_value("ceo", rng, w)
    while w["plant_city"] == w["city"]:
        w["plant_city"] = rng.choice(CITIES)
    w["rival"] = f"{rng.choice(CO_A)} {rng.choice(CO_B)}"
    while w["rival"].split()[0] == w["company"].split()[0]:
        w["rival"] = f"{rng.choice(CO_A)} {rng.choice(CO_B)}"
    w["rival_city"] = rng.choice([c for c in CITIES if c not in (w["city"], w["plant_city"])])
    return w


# ---------------------------------------------------------------- sources
def make_source(rng, task, source_id):
    w = make_world(rng)
    k = rng.randint(2, 4)
    present = sorted(rng.sample(sorted(FACTS), k), key=list(FACTS).index)
    rival = rng.random() < 0.5
    qslot = None
    if task == "Data2txt":
        data = {"name": w["company"], "city": w["city"], "product": w["product"]}
        for g in present:
            for s in FACTS[g]:
                data[D2T_KEYS[s]] = int(w[s]) if s in ("year", "employees", "revenue") else w[s]
        if rival:
            data["main_rival"] = w["rival"]
        keys = list(data)
        tail = keys[3:]
        rng.shuffle(tail)
        data = {k2: data[k2] for k2 in keys[:3] + tail}
        instr = rng.choice(D2T_INSTR)
        prompt = f"Data: {data!r}\nInstruction: {instr}\nOverview:"
        source_info = data
    else:
        sents = [rng.choice(CTX[g]) for g in present]
        rng.shuffle(sents)
        if rival:
            sents.insert(rng.randint(0, len(sents)), rng.choice(CTX_RIVAL))
        context = " ".join([rng.choice(CTX_INTRO)] + sents)
        context = render(context, w)[0]
        if task == "QA":
            avail = [s for s, g in QA_NEEDS.items() if g is None or g in present]
            qslot = rng.choice(avail)
            question = render(rng.choice(QA[qslot][0]), w)[0]
            prompt = f"Context: {context}\nQuestion: {question}\nAnswer:"
            source_info = {"question": question, "passages": context}
        else:
            prompt = f"Context: {context}\nInstruction: {rng.choice(SUM_INSTR)}\nSummary:"
            source_info = context
    src = {"source_id": source_id, "task_type": task, "source": "halluscope-demo",
           "source_info": source_info, "prompt": prompt}
    meta = {"world": w, "present": present, "qslot": qslot}
    return src, meta


def response_template(rng, task, meta):
    """A faithful response template (string with {slots}) using only facts present in the context."""
    present = meta["present"]
    if task == "QA":
        qslot = meta["qslot"]
        cands = [t for t in QA[qslot][1]
                 if all(QA_NEEDS.get(s) in (None,) + tuple(present) for s in TEMPLATE_RE.findall(t)
                        if s != "company")]
        return rng.choice(cands)
    parts = [rng.choice(RESP_INTRO)]
    more = rng.sample(present, min(len(present), rng.randint(1, 2)))
    more.sort(key=present.index)
    parts += [rng.choice(RESP_MORE[g]) for g in more]
    return "".join(parts)


def alt_value(slot, rng, w, prompt):
    """A plausible value for slot that does not occur in the prompt (no shared word)."""
    pw = words(prompt)
    for _ in range(200):
        v = draw_value(slot, rng, w)
        if slot == "year":
            v = str(int(w["year"]) + rng.choice([-1, 1]) * rng.randint(1, 15))
        if v != w[slot] and not (words(v) & pw):
            return v
    raise RuntimeError(f"no alternative value for {slot}")


def make_response(rng, task, src, meta, template, hallucinate):
    w = meta["world"]
    prompt = src["prompt"]
    values = dict(w)
    label_types = {}
    if hallucinate:
        used = [s for s in TEMPLATE_RE.findall(template) if s != "company"]
        absent = [g for g in FACTS if g not in meta["present"]] if task != "QA" else []
        n = 2 if (rng.random() < 0.3 and len(used) >= 2) else 1
        if absent and rng.random() < 0.3:           # add a fact the context does not state
            g = rng.choice(absent)
            template = template + rng.choice(RESP_MORE[g])
            for s in FACTS[g]:                       # every slot of the added sentence is unsupported
                values[s] = alt_value(s, rng, w, prompt)
                label_types[s] = "Evident Baseless Info"
            n = 0
        if n > 0:
            for s in rng.sample(used, n):
                values[s] = alt_value(s, rng, w, prompt)
                label_types[s] = "Evident Conflict"
    text, spans = render(template, values)
    labels, facts = [], []
    for a, b, s in spans:
        if s in label_types:
            labels.append({"start": a, "end": b, "text": text[a:b], "meta": "",
                           "label_type": label_types[s], "implicit_true": False, "due_to_null": False})
        else:
            assert text[a:b] in prompt, (text[a:b], prompt)
            facts.append([a, b, s])
    return text, labels, facts


def build_split(split, n_sources, seed, paired_share=0.5, halluc_share=0.5):
    """Returns (sources, responses). Responses carry a private "_facts" list of [start, end, slot]
    for the values copied verbatim from the context (dropped when written)."""
    rng = random.Random(f"halluscope-demo/{seed}/{split}")
    base = 100000 if split == "test" else 200000
    tasks = ["QA", "Summary", "Data2txt"]
    sources, responses = [], []
    n_paired = int(round(n_sources * paired_share))
    singles = 0
    for i in range(n_sources):
        task = tasks[i % 3]
        src, meta = make_source(rng, task, str(base + i))
        sources.append(src)
        template = response_template(rng, task, meta)
        if i < n_paired:
            kinds = [False, True]
        else:
            kinds = [singles % 2 == 1] if halluc_share == 0.5 else [rng.random() < halluc_share]
            singles += 1
        for h in kinds:
            text, labels, facts = make_response(rng, task, src, meta, template, h)
            responses.append({"id": str(base * 10 + len(responses)), "source_id": src["source_id"],
                              "model": "halluscope-demo", "temperature": 0, "labels": labels,
                              "split": split, "quality": "good", "response": text, "_facts": facts})
    return sources, responses


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps({k: v for k, v in r.items() if not k.startswith("_")},
                               ensure_ascii=False) + "\n")


def write_split(out_dir, sources, responses):
    os.makedirs(out_dir, exist_ok=True)
    write_jsonl(os.path.join(out_dir, "source_info.jsonl"), sources)
    write_jsonl(os.path.join(out_dir, "response.jsonl"), responses)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--out-test", default="resources/demo/data", help="folder for the test split")
    ap.add_argument("--test-sources", type=int, default=300)
    ap.add_argument("--paired-share", type=float, default=0.5,
                    help="share of test sources that get both a faithful and a hallucinated response")
    ap.add_argument("--out-train", default=None,
                    help="folder for the train split (not committed; every train source gets a faithful and a "
                         "hallucinated response, and training uses the faithful ones)")
    ap.add_argument("--train-sources", type=int, default=6000)
    a = ap.parse_args()
    s, r = build_split("test", a.test_sources, a.seed, a.paired_share)
    write_split(a.out_test, s, r)
    print(f"test: {len(s)} sources, {len(r)} responses, "
          f"{sum(1 for x in r if x['labels'])} hallucinated -> {a.out_test}")
    if a.out_train:
        s, r = build_split("train", a.train_sources, a.seed, paired_share=1.0)
        write_split(a.out_train, s, r)
        print(f"train: {len(s)} sources, {len(r)} responses, "
              f"{sum(1 for x in r if x['labels'])} hallucinated -> {a.out_train}")


if __name__ == "__main__":
    main()
