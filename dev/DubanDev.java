import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local-run helper, run as a single source file (no build needed):
 *
 *   java dev/DubanDev.java token USERNAME ROLE [UNIT]   prints a bearer token signed with the dev key
 *   java dev/DubanDev.java seed [TASK_SERVICE_URL]      loads the demo district office through the API
 *
 * The dev key pair (dev/jwt) is for local runs only: the prod profile trusts no key unless one is
 * configured (DUBAN_JWT_PUBLIC_KEY_LOCATION), and a real deployment points it at its OIDC provider.
 */
public class DubanDev {

    static final String ISSUER = System.getenv().getOrDefault("DUBAN_JWT_ISSUER", "https://duban.local/issuer");
    static final Path KEY = Path.of(System.getenv().getOrDefault("DUBAN_JWT_PRIVATE_KEY",
            Path.of(System.getProperty("user.dir"), "dev", "jwt", "privateKey.pem").toString()));

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("token")) {
            System.out.println(token(args[1], args[2], args.length > 3 ? args[3] : null));
        } else if (args.length >= 1 && args[0].equals("seed")) {
            new Seeder(args.length > 1 ? args[1] : "http://localhost:8081").run();
        } else {
            System.err.println("usage: java dev/DubanDev.java token USERNAME ROLE [UNIT] | seed [URL]");
            System.exit(2);
        }
    }

    /** An RS256 JWT with the claims Duban reads: sub, groups, unit. Valid for 12 hours. */
    static String token(String username, String role, String unit) throws Exception {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":" + q(ISSUER) + ",\"sub\":" + q(username) + ",\"upn\":" + q(username)
                + ",\"groups\":[" + q(role) + "]" + (unit == null ? "" : ",\"unit\":" + q(unit))
                + ",\"iat\":" + now + ",\"exp\":" + (now + 12 * 3600) + ",\"jti\":" + q(UUID.randomUUID().toString())
                + "}";
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64(claims.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(privateKey());
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64(rsa.sign());
    }

    static PrivateKey privateKey() throws Exception {
        String pem = Files.readString(KEY).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A JSON string literal. */
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** The demo: a district government office (某区人民政府办公室) with its departments and people. */
    static final class Seeder {

        record Unit(String code, String name, String shortName, String parent) {
        }

        record Person(String username, String name, String unit, String role, String title) {
        }

        static final List<Unit> UNITS = List.of(
                new Unit("ZFB", "区政府办公室", "区府办", null),
                new Unit("DCS", "区政府督查室", "督查室", "ZFB"),
                new Unit("FGW", "区发展和改革委员会", "区发改委", null),
                new Unit("CZJ", "区财政局", "区财政局", null),
                new Unit("ZJJ", "区住房和城乡建设局", "区住建局", null),
                new Unit("JYJ", "区教育局", "区教育局", null),
                new Unit("WJW", "区卫生健康委员会", "区卫健委", null),
                new Unit("MZJ", "区民政局", "区民政局", null),
                new Unit("RSJ", "区人力资源和社会保障局", "区人社局", null),
                new Unit("ZRZY", "区自然资源局", "区自然资源局", null),
                new Unit("SHJ", "市生态环境局本区分局", "区生态环境分局", null),
                new Unit("JTJ", "区交通运输局", "区交通局", null),
                new Unit("SWJ", "区水务局", "区水务局", null),
                new Unit("NYJ", "区农业农村局", "区农业农村局", null),
                new Unit("SWUJ", "区商务局", "区商务局", null),
                new Unit("WLJ", "区文化和旅游局", "区文旅局", null),
                new Unit("SCJG", "区市场监督管理局", "区市场监管局", null),
                new Unit("YJJ", "区应急管理局", "区应急局", null),
                new Unit("CGJ", "区城市管理局", "区城管局", null),
                new Unit("KJJ", "区科学技术局", "区科技局", null),
                new Unit("XFJ", "区信访局", "区信访局", null),
                new Unit("CJJD", "城关街道办事处", "城关街道", null));

        static final List<Person> PEOPLE = List.of(
                new Person("admin", "系统管理员", "ZFB", "ADMIN", "信息科科员"),
                new Person("liu.yang", "刘洋", "DCS", "SUPERVISOR", "督查室主任"),
                new Person("zhao.min", "赵敏", "DCS", "SUPERVISOR", "督查室科员"),
                new Person("wang.qiang", "王强", "ZFB", "LEADER", "区长"),
                new Person("sun.li", "孙丽", "ZFB", "LEADER", "副区长"),
                new Person("zhang.wei", "张伟", "FGW", "HANDLER", "综合科科长"),
                new Person("li.na", "李娜", "CZJ", "HANDLER", "预算科科员"),
                new Person("chen.jing", "陈静", "ZJJ", "HANDLER", "办公室主任"),
                new Person("yang.fan", "杨帆", "JYJ", "HANDLER", "办公室科员"),
                new Person("huang.lei", "黄磊", "WJW", "HANDLER", "办公室副主任"),
                new Person("zhou.tao", "周涛", "MZJ", "HANDLER", "办公室科员"),
                new Person("wu.jun", "吴军", "JTJ", "HANDLER", "办公室主任"),
                new Person("xu.hui", "徐慧", "SWJ", "HANDLER", "办公室科员"),
                new Person("ma.chao", "马超", "CGJ", "HANDLER", "办公室主任"),
                new Person("guo.xin", "郭欣", "SHJ", "HANDLER", "办公室科员"),
                new Person("lin.feng", "林峰", "CJJD", "HANDLER", "党政办主任"));

        static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

        private final String base;
        private final HttpClient http = HttpClient.newHttpClient();

        Seeder(String base) {
            this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        }

        void run() throws Exception {
            String admin = token("admin", "admin", null);
            int units = 0;
            int people = 0;
            for (Unit u : UNITS) {
                String body = "{\"code\":" + q(u.code) + ",\"name\":" + q(u.name) + ",\"shortName\":" + q(u.shortName)
                        + (u.parent == null ? "" : ",\"parentCode\":" + q(u.parent))
                        + ",\"contactEmail\":" + q(u.code.toLowerCase() + "@district.example.gov.cn") + "}";
                units += created(post("/api/v1/units", admin, body), 409) ? 1 : 0;
            }
            for (Person p : PEOPLE) {
                String body = "{\"username\":" + q(p.username) + ",\"name\":" + q(p.name) + ",\"unitCode\":"
                        + q(p.unit) + ",\"role\":" + q(p.role) + ",\"title\":" + q(p.title) + ",\"email\":"
                        + q(p.username + "@district.example.gov.cn") + "}";
                people += created(post("/api/v1/people", admin, body), 409) ? 1 : 0;
            }
            int items = seedItems();
            System.out.printf("演示数据：新增单位 %d 个、人员 %d 名、督办事项 %d 项%n", units, people, items);
        }

        /** A handful of items in different states, made through the lifecycle API like real ones. */
        int seedItems() throws Exception {
            String sup = token("liu.yang", "supervisor", "DCS");
            HttpResponse<String> existing = get("/api/v1/tasks?limit=1", sup);
            if (!existing.body().contains("\"items\":[]")) {
                return 0;
            }
            LocalDate today = LocalDate.now();
            String a = item(sup, "关于加快推进城关片区老旧小区改造的批示", "LEADER_INSTRUCTION", "区长批示〔2026〕15号", "URGENT",
                    today.plusDays(40), "ZJJ", List.of("CZJ", "CJJD"), "BIWEEKLY");
            String b = item(sup, "落实区政府第12次常务会议关于河道综合整治的议定事项", "MEETING_DECISION", "区政府常务会议纪要〔2026〕12号",
                    "NORMAL", today.plusDays(60), "SWJ", List.of("SHJ"), "MONTHLY");
            String c = item(sup, "办理市政府交办的重点项目审批提速任务", "SUPERIOR_ASSIGNMENT", "市府办交〔2026〕88号", "CRITICAL",
                    today.plusDays(10), "FGW", List.of(), "WEEKLY");
            String d = item(sup, "答复区人大代表关于增设社区养老服务站的建议", "PROPOSAL", "区人大建议第2026-031号", "NORMAL",
                    today.plusDays(25), "MZJ", List.of("WJW"), "NONE");
            String e = item(sup, "处理12345热线反映的背街小巷路灯不亮问题", "PUBLIC_APPEAL", "12345工单 20261118-0457", "URGENT",
                    today.minusDays(2), "CGJ", List.of(), "NONE");
            item(sup, "研究制定2027年度民生实事项目清单（草稿）", "WORK_REPORT", "区政府工作报告", "NORMAL", today.plusDays(90), "FGW",
                    List.of("CZJ"), "MONTHLY");
            for (String id : List.of(a, b, c, d, e)) {
                post("/api/v1/tasks/" + id + "/dispatch", sup, null);
            }
            post("/api/v1/tasks/" + a + "/assignments/ZJJ/accept", token("chen.jing", "handler", "ZJJ"), null);
            post("/api/v1/tasks/" + a + "/assignments/ZJJ/progress", token("chen.jing", "handler", "ZJJ"),
                    "{\"content\":\"已完成12个小区的入户摸底，改造方案初稿已形成。\",\"percent\":35,"
                            + "\"nextSteps\":\"组织居民议事会征求意见\",\"helpNeeded\":\"请区财政局明确配套资金拨付时间\"}");
            post("/api/v1/tasks/" + c + "/assignments/FGW/accept", token("zhang.wei", "handler", "FGW"), null);
            post("/api/v1/tasks/" + e + "/assignments/CGJ/accept", token("ma.chao", "handler", "CGJ"), null);
            post("/api/v1/tasks/" + e + "/urge", sup, "{\"unitCode\":\"CGJ\",\"message\":\"该事项已超期，请于今日内反馈办理结果。\"}");
            post("/api/v1/tasks/" + b + "/instructions", token("wang.qiang", "leader", null),
                    "{\"content\":\"河道整治事关群众切身利益，请水务局牵头、生态环境分局配合，确保汛期前完成。\"}");
            return 6;
        }

        String item(String token, String title, String source, String ref, String priority, LocalDate deadline,
                String lead, List<String> assists, String cycle) throws Exception {
            StringBuilder list = new StringBuilder();
            for (String s : assists) {
                list.append(list.length() == 0 ? "" : ",").append(q(s));
            }
            String body = "{\"title\":" + q(title) + ",\"sourceType\":" + q(source) + ",\"sourceRef\":" + q(ref)
                    + ",\"priority\":" + q(priority) + ",\"deadline\":" + q(deadline.toString()) + ",\"leadUnit\":"
                    + q(lead) + ",\"assistUnits\":[" + list + "],\"feedbackCycle\":" + q(cycle)
                    + ",\"responsibleLeader\":\"孙丽\",\"category\":\"民生保障\"}";
            HttpResponse<String> r = post("/api/v1/tasks", token, body);
            if (r.statusCode() != 201) {
                throw new IllegalStateException("cannot create demo item: " + r.statusCode() + " " + r.body());
            }
            Matcher id = ID.matcher(r.body());
            if (!id.find()) {
                throw new IllegalStateException("no id in " + r.body());
            }
            return id.group(1);
        }

        boolean created(HttpResponse<String> r, int tolerated) {
            if (r.statusCode() == 201) {
                return true;
            }
            if (r.statusCode() != tolerated) {
                throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
            }
            return false;
        }

        HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token)
                    .POST(json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() >= 500) {
                throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r;
        }

        HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
    }
}
