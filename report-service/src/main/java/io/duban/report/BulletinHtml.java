package io.duban.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneId;

/** A bulletin as an office document for printing: 红头, number, title, preface, the three sections, signature. */
final class BulletinHtml {

    private BulletinHtml() {
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String pct(JsonNode v) {
        return v.isNull() || v.isMissingNode() ? "—" : String.format("%.1f%%", v.asDouble() * 100);
    }

    static String render(Bulletins.Bulletin b, ZoneId zone) {
        JsonNode s = b.snapshot();
        JsonNode t = s.path("summary").path("totals");
        LocalDate issued = b.createdAt().atZone(zone).toLocalDate();
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"UTF-8\"><title>").append(esc(b.number()))
                .append("</title><style>@page{size:A4;margin:25mm 20mm}body{font-family:\"FangSong\",\"仿宋\",\"STFangsong\",serif;"
                        + "font-size:16pt;line-height:1.6}.red{color:#c00;text-align:center;font-size:36pt;font-family:\"SimSun\","
                        + "\"宋体\",serif;letter-spacing:.3em;margin:0}.no{text-align:center}.rule{border-top:2px solid #c00;"
                        + "margin:8px 0 24px}h1{text-align:center;font-size:22pt;font-family:\"SimHei\",\"黑体\",sans-serif}"
                        + "h2{font-size:16pt;font-family:\"SimHei\",\"黑体\",sans-serif}table{border-collapse:collapse;width:100%;"
                        + "font-size:11pt}td,th{border:1px solid #000;padding:2px 4px}th{background:#eee}.sign{text-align:right;"
                        + "margin-top:48px}p{text-indent:2em;margin:0}</style></head><body>");
        h.append("<p class=\"red\">督查通报</p><p class=\"no\">").append(esc(b.number())).append("</p><div class=\"rule\"></div>");
        h.append("<h1>").append(esc(b.title())).append("</h1>");
        if (b.preface() != null) {
            for (String para : b.preface().split("\\R+")) {
                h.append("<p>").append(esc(para)).append("</p>");
            }
        }
        h.append("<h2>一、总体情况</h2><p>").append(b.from()).append(" 至 ").append(b.to()).append("交办事项，截至 ")
                .append(esc(b.asOf().atZone(zone).toLocalDateTime().toString().replace('T', ' '))).append("：收件 ")
                .append(t.path("received").asLong()).append(" 件，办结 ").append(t.path("completed").asLong())
                .append(" 件（按期 ").append(t.path("completedOnTime").asLong()).append(" 件），办结率 ")
                .append(pct(t.path("completionRate"))).append("，按期办结率 ").append(pct(t.path("onTimeRate")))
                .append("；超期未办结 ").append(t.path("overdue").asLong()).append(" 件。</p>");
        h.append("<h2>二、考核排名</h2><table><tr><th>名次</th><th>单位</th><th>得分</th><th>按期办结率</th><th>计分明细</th></tr>");
        for (JsonNode e : s.path("ranking").path("units")) {
            h.append("<tr><td>").append(e.path("rank").asInt()).append("</td><td>").append(esc(e.path("unitName").asText()))
                    .append("</td><td>").append(e.path("score").asLong()).append("</td><td>").append(pct(e.path("onTimeRate")))
                    .append("</td><td>").append(esc(Ranking.terms(e))).append("</td></tr>");
        }
        h.append("</table><h2>三、超期未办结事项</h2>");
        JsonNode od = s.path("overdue");
        if (od.path("total").asLong() == 0) {
            h.append("<p>无。</p>");
        } else {
            h.append("<p>共 ").append(od.path("total").asLong()).append(" 项").append(od.path("total").asLong() > od.path("rows").size()
                    ? "，以下列出超期最久的 " + od.path("rows").size() + " 项" : "").append("。</p>");
            h.append("<table><tr><th>事项编号</th><th>事项</th><th>承办单位</th><th>办理期限</th><th>超期工作日</th><th>催办次数</th></tr>");
            for (JsonNode r : od.path("rows")) {
                h.append("<tr><td>").append(esc(r.path("itemNumber").asText())).append("</td><td>")
                        .append(esc(r.path("title").asText())).append("</td><td>").append(esc(r.path("unitName").asText()))
                        .append("</td><td>").append(esc(r.path("deadline").asText())).append("</td><td>")
                        .append(r.path("workingDaysOverdue").asInt()).append("</td><td>").append(r.path("urges").asInt())
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("<p class=\"sign\">区政府督查室<br>").append(issued.getYear()).append("年").append(issued.getMonthValue())
                .append("月").append(issued.getDayOfMonth()).append("日</p></body></html>");
        return h.toString();
    }
}
