import Crypto
import Foundation

extension HTMLPage {
    /// Only the page's own inline script may run, and nothing may be fetched by script, frame,
    /// object, font or form: even a value that slipped through escaping could not call out.
    static func contentSecurityPolicy(_ h: inout HTML) {
        h.raw("script-src 'sha256-"); h.attribute(scriptHash)
        h.raw("'; connect-src 'none'; font-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'")
    }

    /// The inline script's SHA-256 in base64, as the policy names it.
    static let scriptHash = Data(SHA256.hash(data: script.withUTF8Buffer { Array($0) })).base64EncodedString()

    /// Reveals the filter box above each long table and hides the rows that do not contain its text.
    /// Without script the box stays hidden and every row stays visible.
    static let script: StaticString = """
    for(const i of document.querySelectorAll("input[data-filter]")){const b=document.getElementById(i.dataset.filter);i.closest("p").hidden=false;\
    i.addEventListener("input",()=>{const q=i.value.toLowerCase();for(const r of b.rows)r.hidden=q!==""&&!r.textContent.toLowerCase().includes(q)})}
    """

    static let css: StaticString = """
    :root{color-scheme:light}
    body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.25rem;line-height:1.5;color:#1a1a1a;background:#fff}
    h1{font-size:1.7rem;margin:.5rem 0}h2{margin-top:2.5rem;padding-bottom:.2rem;border-bottom:2px solid #d0d7de}h3{margin-top:1.5rem}
    .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:0 2rem}.grid h3{margin-top:1rem}.grid p{font-size:.9rem;color:#333}
    .lead{font-size:1.05rem;max-width:50rem}
    a{color:#0645ad}a:focus,input:focus,summary:focus{outline:3px solid #1f6feb;outline-offset:2px}
    dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}dt{font-weight:600}dd{margin:0}dd ul{margin:0;padding-left:1.1rem}
    nav ol{columns:2;column-gap:2rem}.count{color:#555}
    .summary{font-weight:600;font-size:1.05rem}.note{background:#fff8e1;border-left:4px solid #b58900;padding:.4rem .75rem}
    .scroll{overflow-x:auto;margin:.5rem 0}
    table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
    td{white-space:pre-wrap;overflow-wrap:anywhere;max-width:28rem}th{background:#eef1f5}
    th .desc{display:block;font-weight:normal;font-size:.8rem;color:#444;max-width:16rem}
    caption{text-align:left;font-weight:600;padding:.25rem 0}
    .null{color:#555;font-style:italic}.ctl{color:#8a1c00;background:#fbeaea;border:1px solid #8a1c00;border-radius:2px;padding:0 2px;margin:0 1px;font-size:.75em;font-family:ui-monospace,Menlo,Consolas,monospace}
    .reading{font-size:.9rem;color:#333;max-width:50rem}.cut{font-size:.85rem}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}
    pre{background:#f6f8fa;padding:.6rem;overflow-x:auto}td code{overflow-wrap:anywhere}
    img.photo{max-width:160px;height:auto;border:1px solid #bbb}
    input[type=search]{font:inherit;padding:.2rem .4rem;margin-left:.5rem}
    details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}
    footer{margin-top:3rem;border-top:1px solid #d0d7de;color:#444;font-size:.9rem}
    @media print{.filter,nav{display:none}}
    """
}
