"""Names beside ids, labels beside codes: how every view says what it mentions.

Every `*_name` field is the registry's **current** display name of the id beside it — as the
registry reads when the answer is made, not as it read when the event happened (a renamed
service shows its new name on old entries). The id stays the stable reference; a name is null
when the registry does not know the id (yet: the read side may lag a write by a moment).
Every `*_label` field is the label of the code beside it in the answer's language
(`Accept-Language`: French by default, English on request); the code is the stable identifier.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

NAMES_ARE_CURRENT = (
    "The registry's current display name of the id beside it (not as of the event); the id is "
    "the stable reference. Null when the registry does not know the id (yet)."
)
LABEL_OF_CODE = (
    "The label of the code beside it, in the answer's language (French by default, English on "
    "`Accept-Language: en`); the code is the stable identifier."
)

Name = Annotated[str | None, Field(description=NAMES_ARE_CURRENT)]
Names = Annotated[
    list[str | None],
    Field(description=NAMES_ARE_CURRENT + " In the order of the ids of the list beside it."),
]
Label = Annotated[str, Field(description=LABEL_OF_CODE)]
MaybeLabel = Annotated[str | None, Field(description=LABEL_OF_CODE + " Null with no code.")]
Labels = Annotated[
    list[str], Field(description=LABEL_OF_CODE + " In the order of the codes beside it.")
]
