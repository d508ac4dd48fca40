// The quality check's questions: for each task, ten prompts a newcomer might send, each with the
// words an answer that is about the prompt would contain (any one of them, case-insensitive).
import type { TaskName } from "@llm-pool/config";

export interface QualityPrompt {
  readonly prompt: string;
  /** An answer "relates" to the prompt when it contains at least one of these. */
  readonly expect: readonly string[];
}

export const QUALITY_PROMPTS: Readonly<Record<TaskName, readonly QualityPrompt[]>> = {
  expand_queries: [
    { prompt: "cinematic lounge, ambient slow burn", expect: ["lounge", "ambient", "cinematic", "slow"] },
    { prompt: "rainy night city walk, lo-fi", expect: ["rain", "night", "city", "lo-fi", "lofi"] },
    { prompt: "sunrise over the ocean, calm drone footage", expect: ["sunrise", "ocean", "drone", "calm", "sea"] },
    { prompt: "retro synthwave driving at night", expect: ["synth", "retro", "night", "driv", "80s"] },
    { prompt: "cozy jazz cafe, vinyl crackle", expect: ["jazz", "cafe", "café", "vinyl", "cozy"] },
    { prompt: "forest stream, birdsong, morning light", expect: ["forest", "stream", "bird", "morning"] },
    { prompt: "minimal techno, dark warehouse", expect: ["techno", "warehouse", "minimal", "dark"] },
    { prompt: "snowy mountains timelapse", expect: ["snow", "mountain", "timelapse", "time-lapse"] },
    { prompt: "acoustic guitar, campfire, summer evening", expect: ["acoustic", "guitar", "campfire", "summer"] },
    { prompt: "neon tokyo streets, rain reflections", expect: ["neon", "tokyo", "street", "rain"] },
  ],
  site_tactics: [
    { prompt: "Find public domain jazz concert recordings on an archive site.", expect: ["jazz", "concert", "archive", "public domain", "search"] },
    { prompt: "Find Creative Commons drone footage of coastlines on a video site.", expect: ["drone", "coast", "creative commons", "license", "search"] },
    { prompt: "Find ambient music playlists on a music streaming site.", expect: ["ambient", "playlist", "music", "search"] },
    { prompt: "Find royalty-free city timelapse clips on a stock footage site.", expect: ["timelapse", "city", "royalty", "stock", "search"] },
    { prompt: "Find nature documentaries about birds on a public broadcaster site.", expect: ["bird", "nature", "documentar", "search"] },
    { prompt: "Find live recordings of classical piano on a video site.", expect: ["piano", "classical", "live", "search"] },
    { prompt: "Find vintage travel films from the 1950s on an archive site.", expect: ["vintage", "travel", "1950", "film", "archive"] },
    { prompt: "Find lo-fi beats uploaded by independent artists on a music site.", expect: ["lo-fi", "lofi", "beat", "artist", "independent"] },
    { prompt: "Find underwater coral reef footage on a science channel site.", expect: ["coral", "reef", "underwater", "ocean"] },
    { prompt: "Find slow cinema short films on a festival site.", expect: ["cinema", "short", "film", "festival"] },
  ],
  rerank_candidates: [
    { prompt: "Slot: calm late-night block. Candidates: a1 'Loud rock concert', a2 'Soft piano at midnight', a3 'Rain on a window'.", expect: ["a1", "a2", "a3"] },
    { prompt: "Slot: morning energy. Candidates: b1 'Sunrise jog music', b2 'Sleep meditation', b3 'Upbeat breakfast jazz'.", expect: ["b1", "b2", "b3"] },
    { prompt: "Slot: nature documentary hour. Candidates: c1 'Whales of the north', c2 'Stock market news', c3 'Forest at dawn'.", expect: ["c1", "c2", "c3"] },
    { prompt: "Slot: kids afternoon. Candidates: d1 'Cartoon animals sing', d2 'Horror movie trailer', d3 'Building blocks tutorial'.", expect: ["d1", "d2", "d3"] },
    { prompt: "Slot: focus music. Candidates: e1 'Lo-fi study beats', e2 'Comedy sketch', e3 'Ambient drone'.", expect: ["e1", "e2", "e3"] },
    { prompt: "Slot: travel evening. Candidates: f1 'Lisbon tram ride', f2 'Kitchen cleaning tips', f3 'Kyoto temples walk'.", expect: ["f1", "f2", "f3"] },
    { prompt: "Slot: sports recap. Candidates: g1 'Cup final highlights', g2 'Knitting basics', g3 'Marathon finish'.", expect: ["g1", "g2", "g3"] },
    { prompt: "Slot: relaxing ocean. Candidates: h1 'Waves at sunset', h2 'City traffic', h3 'Dolphins playing'.", expect: ["h1", "h2", "h3"] },
    { prompt: "Slot: retro night. Candidates: i1 '80s synth mix', i2 'Modern news', i3 'Arcade sounds'.", expect: ["i1", "i2", "i3"] },
    { prompt: "Slot: winter mood. Candidates: j1 'Snowfall in the forest', j2 'Beach party', j3 'Fireplace crackle'.", expect: ["j1", "j2", "j3"] },
  ],
  judge: [
    { prompt: "Criterion: the calmest title. Candidates: x1 'Thunder Riot', x2 'Quiet Lake Morning'.", expect: ["x1", "x2"] },
    { prompt: "Criterion: best for children. Candidates: y1 'Counting with ducks', y2 'Late night crime files'.", expect: ["y1", "y2"] },
    { prompt: "Criterion: most about the ocean. Candidates: z1 'Deep sea giants', z2 'Desert caravans'.", expect: ["z1", "z2"] },
    { prompt: "Criterion: shortest clear title. Candidates: w1 'Rain', w2 'An extremely long title about rain and more rain'.", expect: ["w1", "w2"] },
    { prompt: "Criterion: best for studying. Candidates: v1 'Lo-fi focus beats', v2 'Heavy metal live'.", expect: ["v1", "v2"] },
    { prompt: "Criterion: most festive. Candidates: u1 'Holiday lights parade', u2 'Tax filing guide'.", expect: ["u1", "u2"] },
    { prompt: "Criterion: most relaxing. Candidates: t1 'Spa music', t2 'Alarm clock sounds'.", expect: ["t1", "t2"] },
    { prompt: "Criterion: about mountains. Candidates: s1 'Alpine sunrise', s2 'City subway tour'.", expect: ["s1", "s2"] },
    { prompt: "Criterion: best for a morning show. Candidates: r1 'Good morning coffee jazz', r2 'Midnight horror tales'.", expect: ["r1", "r2"] },
    { prompt: "Criterion: about animals. Candidates: q1 'Wolves in winter', q2 'Cooking pasta'.", expect: ["q1", "q2"] },
  ],
  recovery_plan: [
    { prompt: "The video stream dropped: the encoder crashed twice in ten minutes.", expect: ["encoder", "restart", "stream", "crash"] },
    { prompt: "The playout buffer is low: only 20 seconds of content are queued.", expect: ["buffer", "queue", "content", "playlist"] },
    { prompt: "The audio is out of sync with the video by two seconds.", expect: ["audio", "sync", "video", "delay"] },
    { prompt: "The upload to the CDN failed with a timeout.", expect: ["upload", "cdn", "retry", "timeout"] },
    { prompt: "The scheduled show file is missing from storage.", expect: ["file", "storage", "show", "backup", "missing"] },
    { prompt: "The disk on the playout server is 98% full.", expect: ["disk", "space", "delete", "clean", "storage"] },
    { prompt: "The stream bitrate keeps dropping below 1 Mbps.", expect: ["bitrate", "network", "stream", "bandwidth"] },
    { prompt: "Subtitles stopped appearing on the live channel.", expect: ["subtitle", "caption", "live"] },
    { prompt: "The thumbnail generator returns black images.", expect: ["thumbnail", "image", "generator", "black"] },
    { prompt: "The metadata service answers errors for every request.", expect: ["metadata", "service", "restart", "error"] },
  ],
  enrich_metadata: [
    { prompt: "A 3-minute clip of waves crashing on black sand at sunset, warm colours, slow motion.", expect: ["wave", "sand", "sunset", "ocean", "beach"] },
    { prompt: "A piano piece played in an empty concert hall, soft and melancholic.", expect: ["piano", "concert", "melanchol", "soft"] },
    { prompt: "Timelapse of clouds over mountains, 4K, bright daylight.", expect: ["cloud", "mountain", "timelapse", "time-lapse"] },
    { prompt: "Street food market in Bangkok at night, busy and colourful.", expect: ["street", "food", "market", "bangkok", "night"] },
    { prompt: "A cat sleeping in a sunny window, cozy home video.", expect: ["cat", "sleep", "window", "cozy", "sun"] },
    { prompt: "Jazz trio live session with double bass and brushes on drums.", expect: ["jazz", "trio", "bass", "drum", "live"] },
    { prompt: "Aerial drone shot of autumn forest with orange leaves.", expect: ["autumn", "forest", "drone", "aerial", "leaves"] },
    { prompt: "Rain falling on a tin roof, ambient sound, 1 hour.", expect: ["rain", "roof", "ambient", "sound"] },
    { prompt: "Skateboarders in an empty parking lot at dusk, handheld camera.", expect: ["skate", "parking", "dusk"] },
    { prompt: "Northern lights over a frozen lake, long exposure, green sky.", expect: ["northern", "aurora", "light", "lake", "frozen"] },
  ],
};
