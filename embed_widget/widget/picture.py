"""The saved picture: a still PNG of the figure kept in the notebook, in an output of its own right
after the widget's.

A notebook saved without its widget state (JupyterLab's default), opened untrusted (a colleague's
copy: widgets are not rendered there) or by a static renderer shows "model not found" or the view's
text where the widget was; the picture below it still shows the last final layout, its colours and
legend, and its caption says to run the cell. The frontend makes it (the PNG export's figure,
from the frame on screen) once a final layout rests and sends it; the kernel puts it in the
output it displayed after the widget (a ``display_id``). A view that renders hides that
output (``js/plot/picture.ts``).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import IPython.display

display: Callable[..., None] = IPython.display.display  # (typed here: IPython is not)
update_display: Callable[..., None] = IPython.display.update_display

#: What the output holds until the first picture arrives: a transparent 1x1 PNG.
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg=="
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: A picture larger than this is not kept (it would weigh on every save of the notebook).
MAX_PICTURE_BYTES = 3_000_000
CAPTION = "embed_widget: the plot as last drawn; run the cell to explore it"


class SavedPicture:
    """Mixin for the view: display with the picture's output, and keep that output current."""

    _picture: bytes = BLANK_PNG
    #: told when a picture is kept (a comparison composes its views' pictures)
    _on_picture: Callable[[], None] | None = None
    model_id: str
    _repr_mimebundle_: Callable[..., Any]  # the widget's (anywidget)
    final_seq: Callable[[], int]  # the final layout on screen (Clustering)

    def _ipython_display_(self) -> None:
        self.display_with_picture(self._repr_mimebundle_())

    def display_with_picture(self, bundle: Any) -> None:
        """Display ``bundle`` (the widget's), then the picture's output."""
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        display(data, metadata=metadata, raw=True)
        display(self._picture_bundle(), raw=True, display_id=self._picture_id())

    def _picture_id(self) -> str:
        return f"embed-widget-picture-{self.model_id}"

    def _picture_bundle(self) -> dict[str, str]:
        return {"image/png": base64.b64encode(self._picture).decode(), "text/plain": CAPTION}

    def _picture_message(self, _widget: Any, content: dict[str, Any], buffers: list[Any]) -> None:
        """Keep a picture the frontend drew of the final layout on screen (an older one, or
        anything but a PNG of a sensible size, is dropped)."""
        if content.get("type") != "picture" or len(buffers) != 1:
            return
        png = bytes(buffers[0])
        if content.get("seq") != self.final_seq() or not png.startswith(PNG_SIGNATURE):
            return
        if len(png) > MAX_PICTURE_BYTES:
            return
        self.show_picture(png)
        if self._on_picture is not None:
            self._on_picture()

    def show_picture(self, png: bytes) -> None:
        """Keep ``png`` as the picture and show it in the picture's output."""
        self._picture = png
        update_display(self._picture_bundle(), raw=True, display_id=self._picture_id())
