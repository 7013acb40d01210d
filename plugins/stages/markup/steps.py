"""Step-by-step exercises: the numbered list after a ``{: .steps }`` heading becomes a step list.

    ## Mindfulness Techniques For Moving The Energy Of Your Back {: .steps }

The first numbered list after that heading gets ``class="steps"``, ``data-steps`` (the heading's
text, for the guided view) and ids ``step-1``, ``step-2``… (a second exercise on the same page:
``<heading id>-step-1``…). Each exercise is added to the Markdown instance's ``site_exercises``,
which the reader puts in the page's metadata as ``exercises``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import TypedDict

from markdown.treeprocessors import Treeprocessor

_HEADING = re.compile(r"h[1-6]")


class Step(TypedDict):
    id: str
    text: str


class Exercise(TypedDict):
    name: str
    id: str
    steps: list[Step]


class StepListTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        children = list(root)
        for index, element in enumerate(children):
            classes = element.get("class", "").split()
            if not _HEADING.fullmatch(element.tag) or "steps" not in classes:
                continue
            classes.remove("steps")
            if classes:
                element.set("class", " ".join(classes))
            else:
                del element.attrib["class"]
            name = "".join(element.itertext()).strip()
            steps_list = self._list_after(children, index)
            if steps_list is None:
                state = self.md.site_source  # type: ignore[attr-defined]
                message = f"the heading '{name}' is marked {{: .steps }} but no numbered list follows it (write the steps as '1. …', '2. …' under it)"
                state.problem_at(state.heading_lines.get(name, 0), message)
                continue
            exercises: list[Exercise] = self.md.site_exercises  # type: ignore[attr-defined]
            prefix = "step" if not exercises else f"{element.get('id', f'exercise-{len(exercises) + 1}')}-step"
            steps_list.set("class", " ".join(filter(None, [steps_list.get("class"), "steps"])))
            steps_list.set("data-steps", name)
            steps: list[Step] = []
            for number, item in enumerate(steps_list.findall("li"), start=1):
                item.set("id", f"{prefix}-{number}")
                steps.append({"id": f"{prefix}-{number}", "text": " ".join("".join(item.itertext()).split())})
            exercises.append({"name": name, "id": element.get("id", ""), "steps": steps})

    @staticmethod
    def _list_after(children: list[etree.Element], index: int) -> etree.Element | None:
        level = children[index].tag
        for element in children[index + 1 :]:
            if _HEADING.fullmatch(element.tag) and element.tag <= level:
                return None
            if element.tag == "ol":
                return element
        return None
