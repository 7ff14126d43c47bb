"""The page's one stylesheet, inlined: the system's fonts (no web font to fetch), a screen layout, and a
print layout for A4 (summary first; tables break across pages with their header row repeated)."""

STYLE = """
:root{--ink:#212121;--muted:#616161;--line:#d0d0d0;--soft:#f5f5f5}
*{box-sizing:border-box}
body{margin:0;color:var(--ink);background:#fff;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px 28px 40px}
header{border-bottom:2px solid var(--ink);padding-bottom:12px;margin-bottom:18px}
.agency{margin:0 0 8px;font-size:13px;text-transform:uppercase;letter-spacing:.02em}
h1{margin:0 0 6px;font-size:26px;text-transform:uppercase}
h2{font-size:19px;margin:0 0 10px}
h3{font-size:15px;margin:8px 0}
.citation{margin:0 0 8px;font-style:italic}
.meta{margin:0;display:flex;flex-wrap:wrap;gap:6px 24px;color:var(--muted)}
.meta strong{color:var(--ink)}
.headline{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:10px;margin-bottom:20px}
.figure{border:1px solid var(--line);border-left:8px solid var(--ink);padding:10px 12px;background:var(--soft)}
.figure .value{display:block;font-size:30px;font-weight:700;line-height:1.1}
.figure .label{display:block;font-weight:600}
.figure .note{display:block;font-size:12px;color:var(--muted)}
.figure.rate{background:#fff;border-left-color:#2e7d32}
.figure.rate .value{font-size:38px}
.block{margin:0 0 26px;break-inside:auto}
.chart{display:block;max-width:100%;height:auto;margin:4px 0 12px;break-inside:avoid}
.chart .label,.chart .figure,.chart .axis,.chart .legend{fill:var(--ink);
font:13px system-ui,"Noto Sans","Liberation Sans",Arial,sans-serif}
.chart .axis{fill:var(--muted);font-size:12px}
.chart .track{fill:#eeeeee}
.chart .bar{stroke:#424242;stroke-width:.5}
.chart .grid{stroke:#e0e0e0}
.chart .line{fill:none;stroke-width:2.5}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:18px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{border:1px solid var(--line);padding:4px 6px;vertical-align:top;text-align:left}
th{background:#eceff1;font-weight:600}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.chip{white-space:nowrap}
.chip i{display:inline-block;width:10px;height:10px;margin-right:5px;border:1px solid #424242;vertical-align:baseline}
details{margin:8px 0}
summary{cursor:pointer;font-weight:600}
footer{color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
@media (max-width:760px){.pair{grid-template-columns:1fr}main{padding:14px}}
@page{size:A4;margin:14mm 12mm}
@media print{
body{font-size:10.5pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
main{max-width:none;padding:0}
.headline{grid-template-columns:repeat(3,1fr)}
.figure .value{font-size:20pt}
.pair{grid-template-columns:1fr 1fr;gap:8px}
table{font-size:8.5pt}
thead{display:table-header-group}
tr{break-inside:avoid}
h2,h3{break-after:avoid}
details:not([open]),.screen-only{display:none}
}
""".strip()
