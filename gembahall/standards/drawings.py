"""Example reference pictures for the starter standards: line drawings of the
real arrangement, each item drawn and labelled in Chinese, stamped 示例."""

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from gembahall.core.fonts import cjk_font

W, H = 1200, 800
INK, LINE, ACCENT, PAPER = "#1f2937", "#475569", "#b91c1c", "#fbfaf6"


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(cjk_font()), size, index=0)


def _canvas(title: str):
    image = Image.new("RGB", (W, H), PAPER)
    draw = ImageDraw.Draw(image)
    draw.text((40, 28), title, fill=INK, font=font(40))
    draw.rounded_rectangle((W - 170, 24, W - 36, 84), 10, outline=ACCENT, width=4)
    draw.text((W - 150, 30), "示例", fill=ACCENT, font=font(38))
    return image, draw


def _label(draw, box, text, size=26, fill="#e0f2fe"):
    draw.rounded_rectangle(box, 8, outline=LINE, width=3, fill=fill)
    x0, y0, x1, y1 = box
    f = font(size)
    tw = draw.textlength(text, font=f)
    draw.text(
        ((x0 + x1 - tw) / 2, (y0 + y1) / 2 - size / 2 - 2), text, fill=INK, font=f
    )


def desk(draw):
    draw.rectangle((80, 140, 1120, 740), outline=INK, width=6)
    draw.text((90, 700), "群众一侧 ↓", fill=LINE, font=font(26))
    draw.text((90, 150), "工作人员一侧 ↑", fill=LINE, font=font(26))
    _label(draw, (430, 200, 770, 360), "电脑显示器")
    _label(draw, (430, 400, 770, 470), "键盘")
    _label(draw, (800, 400, 880, 470), "鼠标", 22)
    _label(draw, (140, 220, 330, 330), "电话")
    _label(draw, (900, 520, 1080, 640), "评价器", fill="#dcfce7")
    _label(draw, (450, 600, 750, 680), "桌牌（姓名·照片）", fill="#fef9c3")
    _label(draw, (140, 540, 250, 650), "笔筒", 24)
    _label(draw, (270, 560, 400, 630), "老花镜", 24)


def drawer(draw):
    for i, (name, items) in enumerate(
        [
            ("第一格", ["印章", "印泥", "骑缝章"]),
            ("第二格", ["签字笔", "订书机", "回形针", "便签"]),
            ("第三格", ["空白表单", "一次性告知书"]),
        ]
    ):
        y = 140 + i * 210
        draw.rectangle((80, y, 1120, y + 180), outline=INK, width=5)
        draw.text((100, y + 10), name, fill=ACCENT, font=font(28))
        width = 900 // len(items)
        for j, item in enumerate(items):
            x = 200 + j * width
            _label(draw, (x, y + 55, x + width - 30, y + 150), item)


def stationery(draw):
    draw.rectangle((120, 180, 1080, 700), outline=INK, width=6)
    names = ["签字笔", "铅笔", "橡皮", "剪刀", "胶棒", "订书机", "印台", "回形针"]
    for i, name in enumerate(names):
        x = 150 + (i % 4) * 230
        y = 220 + (i // 4) * 240
        _label(draw, (x, y, x + 200, y + 200), name, fill="#f1f5f9")
        draw.ellipse((x + 70, y + 120, x + 130, y + 180), outline=LINE, width=3)
    draw.text(
        (130, 715), "形迹定位：物品轮廓画在格底，取用后归位", fill=LINE, font=font(26)
    )


def forms(draw):
    for i, name in enumerate(["申请表", "变更登记表", "承诺书", "授权委托书"]):
        x = 100 + i * 270
        draw.rectangle((x, 160, x + 220, 700), outline=INK, width=5)
        draw.rectangle((x + 20, 380, x + 200, 690), fill="#e2e8f0", outline=LINE)
        draw.line((x, 260, x + 220, 260), fill=ACCENT, width=5)
        draw.line((x, 560, x + 220, 560), fill="#15803d", width=5)
        draw.text((x + 5, 222), "上限 50", fill=ACCENT, font=font(26))
        draw.text((x + 5, 568), "下限 10", fill="#15803d", font=font(26))
        draw.text((x + 40, 705), name, fill=INK, font=font(28))


def cables(draw):
    draw.rectangle((80, 140, 1120, 180), outline=INK, width=4, fill="#e2e8f0")
    draw.text((90, 190), "线槽（上墙）", fill=LINE, font=font(26))
    for i, name in enumerate(["电脑电源", "显示器", "网线", "评价器", "电话线"]):
        x = 180 + i * 200
        draw.line((x, 180, x, 620), fill=INK, width=6)
        _label(draw, (x - 80, 400, x + 80, 460), name, 24, fill="#fef9c3")
        draw.rectangle((x - 40, 620, x + 40, 700), outline=INK, width=4)
    draw.text(
        (100, 720), "每根线两端贴标识，横平竖直，无缠绕拖地", fill=LINE, font=font(26)
    )


def switches(draw):
    names = ["大厅照明", "窗口照明", "电脑插座", "叫号屏", "空调", "饮水机"]
    for i, name in enumerate(names):
        x = 110 + (i % 3) * 350
        y = 160 + (i // 3) * 300
        draw.rounded_rectangle((x, y, x + 300, y + 260), 16, outline=INK, width=5)
        draw.rectangle((x + 110, y + 40, x + 190, y + 150), outline=LINE, width=4)
        _label(draw, (x + 30, y + 180, x + 270, y + 240), name, fill="#fef9c3")


def binders(draw):
    for i in range(10):
        x = 120 + i * 96
        draw.rectangle((x, 180, x + 86, 700), outline=INK, width=4, fill="#f8fafc")
        draw.text((x + 30, 200), str(i + 1), fill=INK, font=font(30))
        draw.text((x + 22, 560), "2026", fill=LINE, font=font(18))
    draw.line((130, 660, 1070, 240), fill=ACCENT, width=10)
    draw.text(
        (120, 720),
        "线条标识法：顺序正确时斜线连贯，放错一眼可见",
        fill=LINE,
        font=font(26),
    )


def _flag(draw, box, text):
    """A red ring around what is wrong, with its note."""
    draw.ellipse(box, outline=ACCENT, width=6)
    x0, _y0, _x1, y1 = box
    draw.text((x0, y1 + 6), text, fill=ACCENT, font=font(26))


def desk_problem(draw):
    draw.rectangle((80, 140, 1120, 740), outline=INK, width=6)
    _label(draw, (470, 200, 810, 360), "电脑显示器")
    _label(draw, (380, 420, 720, 490), "键盘")
    _label(draw, (140, 220, 330, 330), "电话")
    _label(draw, (880, 200, 1060, 320), "评价器", fill="#dcfce7")
    _label(draw, (180, 560, 330, 660), "私人水杯", 24, fill="#fee2e2")
    _label(draw, (820, 520, 1060, 620), "未归档材料", 24, fill="#fee2e2")
    _flag(draw, (150, 530, 360, 690), "个人物品上桌面")
    _flag(draw, (800, 490, 1080, 650), "文件堆放")
    _flag(draw, (860, 180, 1080, 340), "评价器位置不对")


def cables_problem(draw):
    draw.rectangle((80, 140, 1120, 180), outline=INK, width=4, fill="#e2e8f0")
    for i in range(5):
        x = 220 + i * 170
        draw.line((x, 180, x + 40, 420), fill=INK, width=6)
        draw.arc((x - 80, 380, x + 160, 640), 200, 520, fill=INK, width=6)
    _flag(draw, (160, 360, 1060, 700), "线缆缠绕拖地，未入线槽、无标识")


DRAWINGS = {
    "desk": ("窗口桌面定置图", desk),
    "drawer": ("抽屉定位图", drawer),
    "stationery": ("文具定位盒", stationery),
    "forms": ("表单上下限（数字标尺）", forms),
    "cables": ("线缆上墙入槽", cables),
    "switches": ("开关插座标识", switches),
    "binders": ("档案盒线条标识法", binders),
    "desk_problem": ("桌面问题照片", desk_problem),
    "cables_problem": ("线缆问题照片", cables_problem),
}


def render(key: str) -> tuple[str, bytes]:
    """The caption and PNG bytes of one example drawing."""
    title, draw_items = DRAWINGS[key]
    image, draw = _canvas(title)
    draw_items(draw)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return title, out.getvalue()
