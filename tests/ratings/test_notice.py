"""The citizen's rating page says, where it asks for a number, what the
number is for, how it is kept and when it is erased (PIPL)."""

from django.urls import reverse
from django.utils import translation


def test_the_rating_page_tells_the_citizen_what_happens_to_their_number(
    client, hall, settings
):
    settings.GEMBAHALL_PHONE_RETENTION_DAYS = 45
    url = reverse("rate:rate_window", args=[hall.a01.public_id])
    with translation.override("zh-hans"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    notice = page[page.index('id="pipl-notice"') :].split("</p>")[0]
    assert "个人信息告知" in notice and "示范中心" in notice
    assert "回访" in notice and "加密" in notice and "45" in notice
    # It stands where the number is asked for.
    assert page.index('id="f-phone"') < page.index('id="pipl-notice"')
