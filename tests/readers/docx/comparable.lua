-- Pandoc's reading, made comparable with essaypress's text: list numbers and note
-- markers are not text, figure captions are, tables of contents are dropped.
local function is_toc(style)
  if not style then return false end
  local s = style:lower()
  return s:match("^toc %d$") or s == "toc heading" or s == "table of figures"
end
function Div(el)
  if is_toc(el.attributes["custom-style"]) then return {} end
  return el.content
end
function Span(el) return el.content end
function Table(el) el.attr = pandoc.Attr() return el end
function OrderedList(el) return pandoc.BulletList(el.content) end
function Note(el) return pandoc.Span(pandoc.utils.blocks_to_inlines(el.content)) end
function Figure(el)
  local bs = pandoc.Blocks(el.content)
  bs:extend(el.caption.long)
  return pandoc.Div(bs)
end
-- TeX that pandoc could not turn into Unicode: keep what an equation says, not TeX's words.
local greek = {alpha="α", beta="β", gamma="γ", delta="δ", epsilon="ε", varepsilon="ϵ",
  zeta="ζ", eta="η", theta="θ", iota="ι", kappa="κ", lambda="λ", mu="μ", nu="ν", xi="ξ",
  pi="π", rho="ρ", sigma="σ", tau="τ", upsilon="υ", phi="φ", varphi="ϕ", chi="χ", psi="ψ",
  omega="ω", Gamma="Γ", Delta="Δ", Theta="Θ", Lambda="Λ", Xi="Ξ", Pi="Π", Sigma="Σ",
  Phi="Φ", Psi="Ψ", Omega="Ω"}
local names = {sin=1, cos=1, tan=1, cot=1, sec=1, csc=1, log=1, ln=1, exp=1, lim=1,
  max=1, min=1, det=1, sinh=1, cosh=1, tanh=1, arcsin=1, arccos=1, arctan=1}
function Math(el)
  local t = el.text:gsub("\\begin%b{}", " "):gsub("\\end%b{}", " ")
  t = t:gsub("\\(%a+)", function(w)
    if greek[w] then return greek[w] end
    if names[w] then return w end
    return " "
  end)
  return pandoc.Str(t)
end
