import Store
import Foundation

/// The portal's one stylesheet, with the brand colour filled in. Its path carries a hash of its
/// content, so it can be cached for a year and still change when the colour does.
struct Stylesheet: Sendable {
    let css: String
    let path: String

    init(color: BrandColor) {
        css = Self.template
            .replacingOccurrences(of: "$PRIMARY", with: color.hex)
            .replacingOccurrences(of: "$ON_PRIMARY", with: color.onColor)
        path = "\(PortalController.staticPrefix)portal-\(BlobStore.sha256(Array(css.utf8)).prefix(12)).css"
    }

    static let template = """
        :root{--primary:$PRIMARY;--on-primary:$ON_PRIMARY;--ink:#111827;--muted:#4b5563;--line:#d1d5db;--bg:#f9fafb;
        --ok:#166534;--ok-bg:#dcfce7;--warn:#854d0e;--warn-bg:#fef9c3;--info:#1e40af;--info-bg:#dbeafe;--done:#374151;--done-bg:#e5e7eb;
        --bad:#991b1b;--bad-bg:#fee2e2}
        *{box-sizing:border-box}
        html{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
        body{margin:0;min-width:320px}
        a{color:var(--primary)}
        a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid var(--primary);outline-offset:2px}
        .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:9}
        .wrap{max-width:960px;margin:0 auto;padding:16px}
        .top{background:var(--primary);color:var(--on-primary)}
        .bar{max-width:960px;margin:0 auto;padding:12px 16px;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between}
        .brand{color:var(--on-primary);font-weight:700;font-size:1.15rem;text-decoration:none}
        .logo{max-height:36px;display:block}
        .account{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center}
        .account a,.account .link{color:var(--on-primary)}
        .inline{display:inline;margin:0}
        h1{font-size:1.5rem;margin:8px 0 16px}
        h2{font-size:1.15rem;margin:24px 0 8px}
        .card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px;margin:0 0 16px}
        .card>h2:first-child,.card>h1:first-child{margin-top:0}
        .when{white-space:nowrap;color:var(--muted);font-size:.9rem}
        .narrow{max-width:480px;margin:24px auto}
        .field{margin:0 0 16px}
        label{display:block;font-weight:600;margin:0 0 4px}
        input[type=text],input[type=email],input[type=search],textarea,select{width:100%;font:inherit;padding:10px;border:1px solid #6b7280;border-radius:6px;background:#fff;color:var(--ink)}
        textarea{min-height:8rem;resize:vertical}
        .hint{color:var(--muted);margin:0 0 4px;font-size:.9rem}
        .error{color:var(--bad);margin:4px 0 0;font-weight:600}
        .has-error input,.has-error textarea{border-color:var(--bad);border-width:2px}
        button,.button{display:inline-block;font:inherit;font-weight:600;padding:10px 18px;border-radius:6px;border:0;background:var(--primary);color:var(--on-primary);cursor:pointer;text-decoration:none;min-height:44px}
        button.secondary,.button.secondary{background:#fff;color:var(--primary);border:1px solid var(--primary)}
        button.link{background:none;border:0;padding:0;min-height:0;font-weight:400;text-decoration:underline;cursor:pointer}
        .notice{border-left:4px solid var(--primary);background:#fff;padding:12px 16px;margin:0 0 16px}
        .notice.bad{border-color:var(--bad);background:var(--bad-bg)}
        .tabs{display:flex;gap:4px;flex-wrap:wrap;margin:0 0 12px;padding:0;list-style:none}
        .tabs a{display:block;padding:8px 14px;border-radius:6px;text-decoration:none;border:1px solid var(--line);background:#fff}
        .tabs a[aria-current=page]{background:var(--primary);color:var(--on-primary);border-color:var(--primary)}
        .toolbar{display:flex;flex-wrap:wrap;gap:8px;align-items:end;justify-content:space-between;margin:0 0 12px}
        .search{display:flex;gap:8px;flex:1 1 260px;max-width:420px}.search .field{flex:1;margin:0}
        .sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        .tickets{list-style:none;margin:0;padding:0}
        .ticket{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:0 0 8px;display:grid;grid-template-columns:1fr auto;gap:4px 12px}
        .ticket h2{margin:0;font-size:1.05rem}.ticket h2 a{text-decoration:none}.ticket h2 a:hover{text-decoration:underline}
        .ref{font-family:ui-monospace,Menlo,Consolas,monospace;color:var(--muted);font-size:.9rem}
        .meta{color:var(--muted);font-size:.9rem;margin:0}
        .preview{margin:0;color:var(--ink);overflow-wrap:anywhere}
        .side{text-align:right}
        .status{display:inline-block;padding:2px 10px;border-radius:999px;font-size:.85rem;font-weight:600}
        .status-new{background:var(--info-bg);color:var(--info)}.status-open{background:var(--warn-bg);color:var(--warn)}
        .status-pending{background:var(--ok-bg);color:var(--ok)}.status-resolved,.status-closed{background:var(--done-bg);color:var(--done)}
        .pager{display:flex;gap:12px;align-items:center;justify-content:space-between;margin:16px 0}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
        dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
        .timeline{list-style:none;margin:0;padding:0}
        .entry{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:0 0 12px}
        .entry.agent{border-left:4px solid var(--primary)}
        .entry.change{background:transparent;border-style:dashed;color:var(--muted)}
        .entry header{display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 12px;margin:0 0 8px}
        .body{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;font:inherit}
        details{margin:8px 0 0}summary{cursor:pointer;color:var(--primary)}
        .files{margin:8px 0 0;padding-left:20px}
        .stars{display:flex;flex-wrap:wrap;gap:8px;border:0;padding:0;margin:0 0 16px}
        .stars label{font-weight:400;border:1px solid var(--line);border-radius:6px;padding:8px 12px;background:#fff;display:flex;gap:6px;align-items:center}
        .empty{color:var(--muted);text-align:center;padding:32px 0}
        .foot{color:var(--muted);font-size:.9rem}
        @media (max-width:600px){.ticket{grid-template-columns:1fr}.side{text-align:left}h1{font-size:1.3rem}dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:6px}}
        """
}
