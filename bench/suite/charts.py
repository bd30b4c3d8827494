"""Line charts as standalone SVG, standard library only (any python3 ≥ 3.8; bench/run uses
Debian's /usr/bin/python3). Linear axes from 0, so a linear relation shows as a straight line
through the origin, and a dashed line through the origin and the first point shows what exact
proportionality would look like; or a logarithmic x axis for sizes spanning decades."""
import html
import math

W, H, L, R, T, B = 640, 400, 80, 160, 40, 60
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]


def _nice(top):
    if top <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(top))
    for m in (1, 2, 2.5, 5, 10):
        if m * exp >= top:
            return m * exp
    return 10 * exp


def _fmt(v):
    if v >= 1e6:
        return f"{v / 1e6:g}M"
    if v >= 1e3:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


def line_chart(path, title, xlabel, ylabel, series, proportional=False, note="", logx=False):
    """series: [(name, [(x, y), ...])]. Writes an SVG file to `path`. logx: a logarithmic x axis
    over whole decades (x > 0), for sizes spanning several orders of magnitude."""
    xs = [x for _, pts in series for x, _ in pts] or [1]
    ys = [y for _, pts in series for _, y in pts] or [1]
    xmax, ymax = _nice(max(xs)), _nice(max(ys) * 1.05)
    pw, ph = W - L - R, H - T - B
    lo, hi = 0, 1
    if logx:
        lo = math.floor(math.log10(min(xs)))
        hi = max(lo + 1, math.ceil(math.log10(max(xs))))
        xmax = 10 ** hi

    def px(x):
        if logx:
            return L + pw * (math.log10(x) - lo) / (hi - lo)
        return L + pw * x / xmax

    def py(y):
        return T + ph * (1 - y / ymax)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="15">'
           f'{html.escape(title)}</text>']
    for i in range(6):
        yv = ymax * i / 5
        out.append(f'<line x1="{L}" x2="{L + pw}" y1="{py(yv)}" y2="{py(yv)}" stroke="#ddd"/>')
        out.append(f'<text x="{L - 6}" y="{py(yv) + 4}" text-anchor="end">{_fmt(yv)}</text>')
    xticks = [10 ** e for e in range(lo, hi + 1)] if logx else [xmax * i / 5 for i in range(6)]
    for xv in xticks:
        out.append(f'<text x="{px(xv)}" y="{T + ph + 18}" text-anchor="middle">{_fmt(xv)}</text>')
    out.append(f'<rect x="{L}" y="{T}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    out.append(f'<text x="{L + pw / 2}" y="{H - 18}" text-anchor="middle">'
               f'{html.escape(xlabel)}</text>')
    out.append(f'<text transform="translate(18,{T + ph / 2}) rotate(-90)" text-anchor="middle">'
               f'{html.escape(ylabel)}</text>')
    for i, (name, pts) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        pts = sorted(pts)
        if proportional and not logx and pts and pts[0][0] > 0:
            slope = pts[0][1] / pts[0][0]
            x_end = min(xmax, ymax / slope) if slope > 0 else xmax
            out.append(f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(x_end)}" y2="{py(slope * x_end)}" '
                       f'stroke="{colour}" stroke-dasharray="4 4" opacity="0.6"/>')
        out.append('<polyline fill="none" stroke-width="2" stroke="%s" points="%s"/>' % (
            colour, " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)))
        for x, y in pts:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        ly = T + 16 + 18 * i
        out.append(f'<line x1="{L + pw + 10}" x2="{L + pw + 30}" y1="{ly}" y2="{ly}" '
                   f'stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{L + pw + 34}" y="{ly + 4}">{html.escape(name)}</text>')
    if proportional and not logx:
        ly = T + 16 + 18 * len(series)
        out.append(f'<text x="{L + pw + 10}" y="{ly + 4}" fill="#666">dashed: proportional</text>')
    if note:
        out.append(f'<text x="{L}" y="{H - 4}" fill="#666" font-size="10">{html.escape(note)}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
